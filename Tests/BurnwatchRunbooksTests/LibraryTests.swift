import BurnwatchCore
import BurnwatchRunbooks
import Foundation
import Testing

@Suite("Runbook library")
struct LibraryTests {
    func overlay() -> RunbookLibrary {
        let bundled = RunbookLoader.loadDirectory(Fixtures.folder("overlay/bundled"), layer: 0)
        let team = RunbookLoader.loadDirectory(Fixtures.folder("overlay/team"), layer: 1)
        #expect(bundled.findings.isEmpty && team.findings.isEmpty)
        return RunbookLibrary(documents: bundled.documents + team.documents)
    }

    @Test func teamFileReplacesBundledFileOfTheSameName() {
        let library = overlay()
        #expect(library.documents.map(\.fileName) == ["README.md", "errors.md", "payments.md"])
        #expect(library.document(named: "errors.md")?.title == "Team errors")
        #expect(library.document(named: "errors.md")?.layer == 1)
        #expect(library.replaced.map(\.title) == ["Bundled errors"])
        #expect(library.search("bundled errors content").isEmpty)
    }

    @Test func teamSectionsAnswerSignalsFirst() {
        let library = overlay()
        #expect(library.sections(for: .retryStorm).map(\.description) == ["payments.md#payment-retries", "README.md#retries"])
        #expect(library.sections(for: .errorTaxonomyShift).map(\.description) == ["errors.md#our-errors"])
        #expect(library.sections(for: .latency).isEmpty)
        #expect(library.signalMap[.retryStorm]?.count == 2)
        #expect(library.signalMap.count == SignalKind.allCases.count)
    }

    @Test func sectionsFollowTheMainPageSignalMapStartHereFirst() {
        let library = RunbookLoader.library().library
        #expect(library.sections(for: .retryStorm).map(\.description) == ["reliability.md#retry-storms", "outbound-http.md#retries-from-this-client"])
        #expect(library.sections(for: .saturation).first?.description == "concurrency.md#goroutine-and-queue-saturation")
        #expect(library.sections(for: .sloBurn).first?.description == "README.md#the-first-five-minutes")
        for kind in SignalKind.allCases { #expect(!library.sections(for: kind).isEmpty, "\(kind) has a section") }
    }

    @Test func linksResolveAcrossLayers() {
        let library = overlay()
        #expect(library.resolve("README.md#retries", from: "payments.md")
                == .section(RunbookSectionRef(fileName: "README.md", anchor: "retries", title: "Retries", line: 3, layer: 0)))
        #expect(library.resolve("#payment-retries", from: "payments.md")
                == .section(RunbookSectionRef(fileName: "payments.md", anchor: "payment-retries", title: "Payment retries", line: 3, layer: 1)))
        #expect(library.resolve("./errors.md", from: "README.md") == .document(fileName: "errors.md"))
        #expect(library.resolve("errors.md#errors", from: "README.md") == .missingAnchor(fileName: "errors.md", anchor: "errors"))
        #expect(library.resolve("gone.md#x", from: "README.md") == .missingFile(fileName: "gone.md"))
        #expect(library.resolve("https://example.com/a.md", from: "README.md") == .external("https://example.com/a.md"))
        #expect(library.resolve("README.md#%72etries", from: "x.md")
                == .section(RunbookSectionRef(fileName: "README.md", anchor: "retries", title: "Retries", line: 3, layer: 0)))
    }

    @Test func searchIsCaseInsensitiveAndGivesSectionAndLine() {
        let library = overlay()
        let hits = library.search("TEAM ERRORS")
        #expect(hits.map(\.fileName) == ["errors.md", "errors.md"])
        #expect(hits.map(\.line) == [1, 6])
        #expect(hits.map(\.sectionAnchor) == ["team-errors", "our-errors"])
        #expect(library.search("retries", in: "README.md").map(\.line) == [3])
        // Annotation comments are not searched.
        #expect(library.search("burnwatch:signals").isEmpty)
        #expect(library.search("").isEmpty)
    }

    @Test func checklistItemsAreFoundById() throws {
        let loaded = RunbookLoader.library(includeBundled: false, teamDirectories: [Fixtures.folder("good")])
        let item = try #require(loaded.library.checklistItem(id: "errors.md#retry-storms/retries-are-below-10-of-requests"))
        #expect(item.liveCheck?.threshold == 0.1)
        #expect(loaded.library.checklistItem(id: "errors.md#retry-storms/nope") == nil)
    }

    @Test func missingFolderIsAFindingNotACrash() {
        let loaded = RunbookLoader.library(includeBundled: false, teamDirectories: ["/nonexistent/runbooks"])
        #expect(loaded.library.documents.isEmpty)
        #expect(loaded.findings.map(\.kind) == [.unreadableFile])
        #expect(loaded.findings.first?.file == "/nonexistent/runbooks")
    }
}

@Suite("Bundled runbooks")
struct BundledRunbookTests {
    /// The repository's `Runbooks/` folder: the source of the bundled runbooks.
    static let sourceFolder = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Runbooks").path

    @Test func everyRepositoryRunbookParses() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.sourceFolder).filter { $0.hasSuffix(".md") }
        #expect(!names.isEmpty)
        let loaded = RunbookLoader.library(includeBundled: false, teamDirectories: [Self.sourceFolder])
        #expect(loaded.findings.isEmpty, "\(loaded.findings)")
        #expect(Set(loaded.library.documents.map(\.fileName)) == Set(names))
        for document in loaded.library.documents {
            #expect(!document.sections.isEmpty, "\(document.fileName) has no heading")
        }
    }

    @Test func repositoryRunbooksLintClean() {
        let loaded = RunbookLoader.library(includeBundled: false, teamDirectories: [Self.sourceFolder])
        let findings = RunbookLinter().lint(loaded.library, libraryName: Self.sourceFolder)
        #expect(findings.isEmpty, "\(findings.map(\.description).joined(separator: "\n"))")
        for kind in SignalKind.allCases {
            #expect(!loaded.library.sections(for: kind).isEmpty, "no section answers \(kind.rawValue)")
        }
        #expect(loaded.library.documents.flatMap(\.checklistItems).count > 0)
    }

    @Test func bundledResourceMatchesTheRepositoryFolder() throws {
        let bundled = try #require(RunbookLoader.bundledDirectory)
        let names = try FileManager.default.contentsOfDirectory(atPath: bundled).filter { $0.hasSuffix(".md") }
        let source = try FileManager.default.contentsOfDirectory(atPath: Self.sourceFolder).filter { $0.hasSuffix(".md") }
        #expect(Set(names) == Set(source))
        let loaded = RunbookLoader.library(includeBundled: true)
        #expect(loaded.findings.isEmpty)
        #expect(loaded.library.documents.allSatisfy { $0.layer == 0 })
    }
}
