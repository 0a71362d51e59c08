/// The key reference as Markdown, generated from the same keymaps the help overlay shows.
///
/// `burnwatch keys` prints it and the README embeds it; a test keeps the two equal, so the
/// documentation cannot drift from the bindings.
public enum KeymapReference {
    /// One titled section of the reference: a screen's own bindings, or the global ones.
    public struct Section: Sendable {
        public var title: String
        public var keymap: Keymap
        public init(title: String, keymap: Keymap) { self.title = title; self.keymap = keymap }
    }

    /// Renders the sections as Markdown tables (keys, what they do), in the help overlay's order.
    ///
    /// - Parameter sections: the global keymap first, then each screen's own bindings.
    /// - Returns: Markdown text ending in a newline.
    /// - Complexity: O(bindings).
    public static func markdown(_ sections: [Section]) -> String {
        var out = ""
        for section in sections {
            let entries = HelpOverlay(keymap: section.keymap).entries
            guard !entries.isEmpty else { continue }
            out += "**\(section.title)**\n\n| group | keys | action |\n|---|---|---|\n"
            var group = "", groupShown = false
            for entry in entries {
                if entry.heading { group = entry.keys; groupShown = false; continue }
                let keys = entry.keys.split(separator: " ").map { "`\(escapeCell(String($0)))`" }.joined(separator: " ")
                out += "| \(groupShown ? "" : escapeCell(group)) | \(keys) | \(escapeCell(entry.help)) |\n"
                groupShown = true
            }
            out += "\n"
        }
        return out
    }

    /// Escapes the characters that would break a Markdown table cell.
    static func escapeCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
