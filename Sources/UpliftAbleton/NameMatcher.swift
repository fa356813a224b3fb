/// Finds a track, device or parameter by the producer's spelling: case-insensitive, an exact
/// name first, else a unique prefix. Ambiguous and unknown names list the candidates.
enum NameMatcher {
    static func match<T>(_ query: String, in items: [T], name: (T) -> String, kind: String, context: String,
                         notFound: AbletonError.Code) throws(AbletonError) -> T {
        let q = query.lowercased()
        let exact = items.filter { name($0).lowercased() == q }
        if exact.count == 1 { return exact[0] }
        if exact.count > 1 {
            throw AbletonError(.ambiguousName,
                "\(exact.count) \(kind)s are called '\(name(exact[0]))' \(context); rename one in Live so Uplift can tell them apart")
        }
        let prefixed = items.filter { name($0).lowercased().hasPrefix(q) }
        if prefixed.count == 1 { return prefixed[0] }
        let all = items.map(name)
        if prefixed.isEmpty {
            throw AbletonError(notFound, "no \(kind) '\(query)' \(context); \(kind)s: \(list(all))")
        }
        throw AbletonError(.ambiguousName, "'\(query)' matches several \(kind)s \(context): \(list(prefixed.map(name))); type more of the name")
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "(none)" : names.map { "'\($0)'" }.joined(separator: ", ")
    }
}
