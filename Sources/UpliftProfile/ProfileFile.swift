import Foundation
import UpliftModel

/// Reading and writing `.uplift-profile` files: atomic writes, schema checks, clear errors.
public enum ProfileFile {
    /// The file a name points at: the path as given, or with `.uplift-profile` appended.
    public static func resolve(_ name: String) -> String {
        let path = AudioFileScanner.absolute(name)
        if FileManager.default.fileExists(atPath: path) || path.hasSuffix(".\(Profile.fileExtension)") { return path }
        let withExtension = path + ".\(Profile.fileExtension)"
        return FileManager.default.fileExists(atPath: withExtension) ? withExtension : path
    }

    /// The output path for `-o NAME`: `.uplift-profile` appended when it has no extension of ours.
    public static func outputPath(_ name: String) -> String {
        let path = AudioFileScanner.absolute(name)
        return path.hasSuffix(".\(Profile.fileExtension)") ? path : path + ".\(Profile.fileExtension)"
    }

    public static func encode(_ profile: Profile) throws -> Data {
        var data = try UpliftJSON.encoder().encode(profile)
        data.append(0x0A)
        return data
    }

    public static func save(_ profile: Profile, to path: String) throws {
        try AtomicFile.write(try encode(profile), to: path)
    }

    public static func load(_ path: String) throws -> Profile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ProfileError(.notFound, "no such profile; build one with `uplift profile build DIR -o NAME`", path: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(.unreadable, "profile cannot be read (permission?)", path: path)
        }
        return try decode(data, path: path)
    }

    public static func decode(_ data: Data, path: String) throws -> Profile {
        // The schema first, so a newer file says "newer" rather than "garbled".
        let header: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw ProfileError(.garbled, "not a profile: the file is not a JSON object", path: path)
            }
            header = object
        } catch let error as ProfileError {
            throw error
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
            throw ProfileError(.garbled, "profile is garbled (not valid JSON); rebuild it with `uplift profile build`",
                               path: path, cause: detail)
        }
        guard let schema = header["schema"] as? String, let version = Profile.version(ofSchema: schema) else {
            throw ProfileError(.notAProfile, "not an Uplift profile (no `\(Profile.schemaPrefix)N` schema)", path: path)
        }
        guard version <= Profile.schemaVersion else {
            throw ProfileError(.newerSchema, "profile was written by a newer Uplift (schema \(schema); this one reads up to \(Profile.schema)); upgrade Uplift",
                               path: path)
        }
        do {
            return try UpliftJSON.decoder().decode(Profile.self, from: data)
        } catch {
            throw ProfileError(.garbled, "profile is garbled (\(describe(error))); rebuild it with `uplift profile build`", path: path)
        }
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing `\(([path(context)] + [key.stringValue]).filter { !$0.isEmpty }.joined(separator: "."))`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at `\(path(context))`"
        case .dataCorrupted(let context): return "bad value at `\(path(context))`"
        @unknown default: return "\(error)"
        }
    }
}
