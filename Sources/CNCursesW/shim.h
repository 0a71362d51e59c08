// The only header through which burnwatch reaches ncurses.
//
// SwiftPM drops the -D flags pkg-config gives for ncursesw, so the wide-character API is enabled
// here. Macros and globals that Swift cannot import (or that Swift 6 rejects as shared mutable
// state, like stdscr) are wrapped as static inline functions with a bw_ prefix.
#ifndef BURNWATCH_CNCURSESW_SHIM_H
#define BURNWATCH_CNCURSESW_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *bw_stdscr(void) { return stdscr; }
static inline int bw_lines(void) { return LINES; }
static inline int bw_cols(void) { return COLS; }
static inline int bw_colors(void) { return COLORS; }
static inline int bw_color_pairs(void) { return COLOR_PAIRS; }
static inline void bw_set_escdelay(int ms) { set_escdelay(ms); }
static inline attr_t bw_a_normal(void) { return A_NORMAL; }
static inline attr_t bw_a_bold(void) { return A_BOLD; }
static inline attr_t bw_a_dim(void) { return A_DIM; }
static inline attr_t bw_a_reverse(void) { return A_REVERSE; }
static inline attr_t bw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t bw_a_italic(void) { return A_ITALIC; }
static inline int bw_key_resize(void) { return KEY_RESIZE; }
static inline int bw_key_mouse(void) { return KEY_MOUSE; }
static inline int bw_key_code_yes(void) { return KEY_CODE_YES; }
static inline int bw_err(void) { return ERR; }
static inline int bw_ok(void) { return OK; }
static inline mmask_t bw_button4_pressed(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t bw_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t bw_button5_pressed(void) { return 0; }
#endif
static inline mmask_t bw_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline mmask_t bw_all_mouse_events(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }

/// Writes `count` wide characters at (y, x) with the given attributes and colour pair.
static inline int bw_put_wide(int y, int x, const wchar_t *text, int count, attr_t attrs, short pair) {
    cchar_t cell;
    int rc = OK;
    for (int i = 0; i < count; i++) {
        wchar_t one[2] = { text[i], L'\0' };
        setcchar(&cell, one, attrs, pair, NULL);
        if (mvwadd_wch(stdscr, y, x + i, &cell) == ERR) { rc = ERR; }
    }
    return rc;
}
// ---- Added for BurnwatchTerminal (terminal-app) ----
#include <langinfo.h>
#include <sys/ioctl.h>
#include <term.h>

/// Key codes of the header, so that the pure key table can be checked against them.
static inline int bw_key_down(void) { return KEY_DOWN; }
static inline int bw_key_up(void) { return KEY_UP; }
static inline int bw_key_left(void) { return KEY_LEFT; }
static inline int bw_key_right(void) { return KEY_RIGHT; }
static inline int bw_key_home(void) { return KEY_HOME; }
static inline int bw_key_end(void) { return KEY_END; }
static inline int bw_key_backspace(void) { return KEY_BACKSPACE; }
static inline int bw_key_dc(void) { return KEY_DC; }
static inline int bw_key_ic(void) { return KEY_IC; }
static inline int bw_key_npage(void) { return KEY_NPAGE; }
static inline int bw_key_ppage(void) { return KEY_PPAGE; }
static inline int bw_key_enter(void) { return KEY_ENTER; }
static inline int bw_key_btab(void) { return KEY_BTAB; }
static inline int bw_key_f(int n) { return KEY_F(n); }

/// Opens the screen on stdout/stdin for $TERM; NULL (not exit) when the terminal is unknown.
static inline SCREEN *bw_newterm(void) { return newterm(NULL, stdout, stdin); }

/// Whether $TERM (already set up) can address the cursor; a "dumb" terminal cannot.
static inline int bw_has_cursor_addressing(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/// Reads one key or character without waiting; returns ERR, OK (a character) or KEY_CODE_YES.
static inline int bw_get_wch(unsigned int *out) {
    wint_t ch = 0;
    int rc = wget_wch(stdscr, &ch);
    *out = (unsigned int)ch;
    return rc;
}

static inline int bw_keypad(int on) { return keypad(stdscr, on ? TRUE : FALSE); }
static inline int bw_nodelay(int on) { return nodelay(stdscr, on ? TRUE : FALSE); }
static inline int bw_erase(void) { return werase(stdscr); }
static inline int bw_clearok(int on) { return clearok(stdscr, on ? TRUE : FALSE); }
static inline int bw_noutrefresh(void) { return wnoutrefresh(stdscr); }

/// Writes one cell at (y, x): `count` (1...CCHARW_MAX) code points, the first a spacing
/// character and the rest combining marks, with attributes and colour pair.
static inline int bw_put_cell(int y, int x, const wchar_t *chars, int count, attr_t attrs, int pair) {
    wchar_t text[CCHARW_MAX + 1];
    if (count > CCHARW_MAX) count = CCHARW_MAX;
    for (int i = 0; i < count; i++) text[i] = chars[i];
    text[count] = L'\0';
    cchar_t cell;
    if (setcchar(&cell, text, attrs, (short)(pair > 32767 ? 0 : pair), NULL) == ERR) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// The terminal's size from the kernel (rows, columns), or -1 when stdout is not a terminal.
static inline int bw_kernel_size(int *rows, int *cols) {
    struct winsize ws;
    if (ioctl(1, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return -1;
    *rows = ws.ws_row; *cols = ws.ws_col;
    return 0;
}

/// The codeset name of the current locale (e.g. "UTF-8", "ANSI_X3.4-1968").
static inline const char *bw_codeset(void) { return nl_langinfo(CODESET); }

/// Reads the pending mouse event: position and button state; ERR when there is none.
static inline int bw_get_mouse(int *y, int *x, unsigned long *bstate) {
    MEVENT event;
    if (getmouse(&event) != OK) return ERR;
    *y = event.y; *x = event.x; *bstate = (unsigned long)event.bstate;
    return OK;
}
static inline unsigned long bw_mouse_wheel_up(void) { return (unsigned long)BUTTON4_PRESSED; }
static inline unsigned long bw_mouse_wheel_down(void) { return (unsigned long)bw_button5_pressed(); }
static inline unsigned long bw_mouse_click(void) { return (unsigned long)(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED); }
static inline int bw_enable_mouse(void) {
    mmask_t old = 0;
    mouseinterval(0);
    return mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON4_PRESSED | bw_button5_pressed(), &old) == 0 ? ERR : OK;
}
static inline int bw_disable_mouse(void) {
    mmask_t old = 0;
    mousemask(0, &old);
    return OK;
}
#endif
