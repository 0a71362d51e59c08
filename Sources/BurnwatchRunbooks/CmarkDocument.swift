import CCmarkGFM
import Foundation  // NSLock only: cmark-gfm's extension set-up and its special-character tables are global.

/// The one place that calls cmark-gfm: parses Markdown with the GitHub extensions and hands the
/// node tree to a closure, freeing it afterwards.
enum CmarkDocument {
    private static let lock = NSLock()

    /// The GitHub extensions runbooks use.
    static let extensionNames = ["table", "tasklist", "strikethrough", "autolink"]

    /// Parses `text` and calls `body` with the root node; the tree is freed when `body` returns.
    ///
    /// Parses are serialised: cmark-gfm keeps per-process tables that attaching extensions changes.
    /// - Complexity: O(n) in the length of `text`.
    static func withParsedTree<T>(_ text: String, _ body: (CmarkNode) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        cmark_gfm_core_extensions_ensure_registered()
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { fatalError("cmark_parser_new failed: out of memory") }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
            }
        }
        guard let root = cmark_parser_finish(parser) else { fatalError("cmark_parser_finish failed: out of memory") }
        defer { cmark_node_free(root) }
        return body(CmarkNode(pointer: root))
    }
}

/// A borrowed cmark node; valid only inside `CmarkDocument.withParsedTree`.
struct CmarkNode {
    let pointer: OpaquePointer

    /// cmark's type name: `paragraph`, `heading`, `tasklist`, `table_cell`, `strikethrough`, …
    var type: String { cmark_node_get_type_string(pointer).map { String(cString: $0) } ?? "" }
    var children: [CmarkNode] {
        var out: [CmarkNode] = []
        var child = cmark_node_first_child(pointer)
        while let node = child { out.append(CmarkNode(pointer: node)); child = cmark_node_next(node) }
        return out
    }
    var next: CmarkNode? { cmark_node_next(pointer).map(CmarkNode.init) }
    /// 1-based start line.
    ///
    /// cmark-gfm's table extension, when a table's header row ends a paragraph, gives the table the
    /// paragraph's start line and leaves the paragraph it splits off without a position (0). Both are
    /// put right here: the paragraph starts where the table said, and the table starts as many lines
    /// later as the paragraph has lines.
    var startLine: Int {
        let line = Int(cmark_node_get_start_line(pointer))
        if line == 0, let next = cmark_node_next(pointer), cmark_node_get_start_line(next) > 0 {
            return Int(cmark_node_get_start_line(next))
        }
        if line > 0, type == "table", let previous = cmark_node_previous(pointer), cmark_node_get_start_line(previous) == 0 {
            return line + CmarkNode(pointer: previous).lineCount
        }
        if line > 0 { return line }
        if let previous = cmark_node_previous(pointer) {
            let end = Int(cmark_node_get_end_line(previous))
            if end > 0 { return end + 1 }
        }
        if let parent = cmark_node_parent(pointer) { return max(1, CmarkNode(pointer: parent).startLine) }
        return 1
    }

    /// Lines of a paragraph: one more than its line breaks.
    var lineCount: Int { children.filter { $0.type == "softbreak" || $0.type == "linebreak" }.count + 1 }

    var literal: String { cmark_node_get_literal(pointer).map { String(cString: $0) } ?? "" }
    var url: String { cmark_node_get_url(pointer).map { String(cString: $0) } ?? "" }
    var fenceInfo: String { cmark_node_get_fence_info(pointer).map { String(cString: $0) } ?? "" }
    var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }
    var isOrderedList: Bool { cmark_node_get_list_type(pointer) == CMARK_ORDERED_LIST }
    var listStart: Int { Int(cmark_node_get_list_start(pointer)) }
    var listTight: Bool { cmark_node_get_list_tight(pointer) != 0 }
    var taskChecked: Bool { cmark_gfm_extensions_get_tasklist_item_checked(pointer) }
    var isHeaderRow: Bool { cmark_gfm_extensions_get_table_row_is_header(pointer) != 0 }

    /// Column alignments of a table node: `l`, `c`, `r` or 0 for none.
    var tableAlignments: [UInt8] {
        let count = Int(cmark_gfm_extensions_get_table_columns(pointer))
        guard count > 0, let raw = cmark_gfm_extensions_get_table_alignments(pointer) else { return [] }
        return (0..<count).map { raw[$0] }
    }
}
