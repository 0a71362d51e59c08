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
#endif
