import BurnwatchRunbooks
import Testing

@Suite("GitHub anchors")
struct AnchorTests {
    @Test("punctuation dropped, spaces to dashes, case folded", arguments: [
        ("Retry storms", "retry-storms"),
        ("What's up? (v2.0)", "whats-up-v20"),
        ("Anchors & Punctuation!", "anchors--punctuation"),
        ("snake_case and-dashes", "snake_case-and-dashes"),
        ("Café crème – déjà vu", "café-crème--déjà-vu"),
        ("日本語の見出し", "日本語の見出し"),
        ("Emoji 🔥 fire", "emoji--fire"),
        ("x² and ½ cup", "x-and--cup"),
        ("C++ & Go's http.Client", "c--gos-httpclient"),
    ])
    func slug(input: String, expected: String) {
        #expect(GitHubAnchor.slug(input) == expected)
    }

    @Test func duplicatesGetGitHubSuffixes() {
        var slugger = GitHubAnchor.Slugger()
        #expect(slugger.anchor(for: "Retry storms") == "retry-storms")
        #expect(slugger.anchor(for: "Retry storms") == "retry-storms-1")
        #expect(slugger.anchor(for: "Retry Storms") == "retry-storms-2")
        // A heading whose own text gives a taken suffix moves on, as github-slugger does.
        #expect(slugger.anchor(for: "retry storms 1") == "retry-storms-1-1")
    }

    @Test func documentSectionsCarryAnchorsAndLines() throws {
        let doc = try Fixtures.document("blocks", "anchors.md")
        #expect(doc.title == "Anchors & Punctuation!")
        #expect(doc.sections.map(\.anchor) == [
            "anchors--punctuation", "retry-storms", "retry-storms-1", "retry-storms-2", "whats-up-v20",
            "café-crème--déjà-vu", "snake_case-and-dashes", "code-in-heading", "日本語の見出し", "emoji--fire",
        ])
        #expect(doc.sections.map(\.line) == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19])
        #expect(doc.sections.map(\.level) == [1, 2, 2, 2, 2, 2, 2, 2, 2, 2])
        #expect(doc.sections[3].baseAnchor == "retry-storms")
    }
}
