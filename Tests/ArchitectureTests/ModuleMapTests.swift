import Foundation
import Testing

/// The module map: every `import` under `Sources/` is an edge the repository's `ARCHITECTURE.md` table
/// allows. The table is the rule; this test keeps the code and the rule the same.
@Suite struct ModuleMapTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyImportIsAnEdgeTheTableAllows() throws {
        let table = try ModuleTable(markdown: String(contentsOf: Self.root.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8))
        let violations = try ImportScanner.violations(sources: Self.root.appendingPathComponent("Sources"), table: table)
        #expect(violations.isEmpty, "imports ARCHITECTURE.md does not allow:\n\(violations.joined(separator: "\n"))")
    }

    @Test func everyModuleHasARow() throws {
        let table = try ModuleTable(markdown: String(contentsOf: Self.root.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8))
        let modules = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Sources").path)
            .filter { !$0.hasPrefix(".") }
        let missing = modules.filter { table.allowed[$0] == nil }.sorted()
        #expect(missing.isEmpty, "modules without a row in ARCHITECTURE.md: \(missing)")
    }

    /// The checker itself: a tree where the TUI imports the ncurses backend is caught, with file and line;
    /// `internal import`, `@testable import` and `import struct X.Y` are read as imports of their module.
    @Test func aForbiddenEdgeIsReportedWithItsFileAndLine() throws {
        let table = try ModuleTable(markdown: """
            | module | one job | may import |
            |---|---|---|
            | `UpliftTerminal` | cells | — |
            | `UpliftCurses` | ncurses | `UpliftTerminal` `CNcursesw` |
            | `UpliftTUI` | panes | `UpliftTerminal` |
            """)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-arch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        func write(_ path: String, _ text: String) throws {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try write("UpliftTUI/Panes/Pane.swift", "import Foundation\nimport UpliftTerminal\n// import UpliftCurses in a comment\n")
        try write("UpliftTUI/Runtime/Loop.swift", "import Foundation\n\n@testable import UpliftCurses\n")
        try write("UpliftCurses/Backend.swift", "internal import CNcursesw\nimport struct UpliftTerminal.Cell\n")
        let violations = try ImportScanner.violations(sources: dir, table: table)
        #expect(violations == ["UpliftTUI/Runtime/Loop.swift:3: UpliftTUI → UpliftCurses"])
    }
}

/// ARCHITECTURE.md's table: first cell, the module(s) in backticks; third cell, what they may import.
struct ModuleTable {
    var allowed: [String: Set<String>] = [:]

    init(markdown: String) throws {
        for line in markdown.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4 else { continue }
            let modules = Self.backticked(cells[1])
            guard !modules.isEmpty else { continue }  // the header and its rule
            let imports = Set(Self.backticked(cells[3]))
            for module in modules { allowed[module] = imports }
        }
    }

    static func backticked(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }
}

/// Every `import` statement of every Swift file, by the module (top folder under `Sources/`) it is in.
enum ImportScanner {
    /// The system's modules, allowed everywhere.
    static let system: Set<String> = ["Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Synchronization", "Musl"]

    static func violations(sources: URL, table: ModuleTable) throws -> [String] {
        var found: [String] = []
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: sources.path) else { return [] }
        for case let relative as String in walker where relative.hasSuffix(".swift") {
            let module = String(relative.split(separator: "/")[0])
            let allowed = table.allowed[module] ?? []
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let imported = importedModule(line), !system.contains(imported), imported != module,
                      !allowed.contains(imported) else { continue }
                found.append("\(relative):\(number + 1): \(module) → \(imported)")
            }
        }
        return found.sorted()
    }

    /// `import X`, `internal import X`, `@testable import X`, `import struct X.Y` → `X`; anything else → nil.
    static func importedModule(_ line: Substring) -> String? {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        while let first = words.first, first.hasPrefix("@") || ["internal", "public", "package", "private", "fileprivate"].contains(first) {
            words.removeFirst()
        }
        guard words.first == "import", words.count >= 2 else { return nil }
        let kinds: Set<String> = ["struct", "class", "enum", "protocol", "func", "var", "let", "typealias"]
        let path = kinds.contains(words[1]) && words.count >= 3 ? words[2] : words[1]
        return path.split(separator: ".").first.map(String.init)
    }
}
