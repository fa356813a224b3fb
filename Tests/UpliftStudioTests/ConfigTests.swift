import Foundation
import Testing
import UpliftStudio

/// `config.toml` through TOMLKit: the gap report's roles and the bridge's mix bus from one reader.
@Suite struct ConfigTests {
    @Test func rolesAndMixBusAreReadAndOtherTablesLeftAlone() throws {
        let config = try UpliftConfig.parse("""
            # mine
            [ableton]
            mix_bus_track = "Glue"  # all through here
            [roles]
            kick = "Kick 909"
            Bass = "Reese"
            [theme]
            name = "dark"
            """)
        #expect(config.roles == ["kick": "Kick 909", "bass": "Reese"])
        #expect(config.mixBusTrack == "Glue")
        #expect(config.gaps.roles == config.roles && config.gaps.mixBusTrack == "Glue")
    }

    @Test(arguments: [
        ("[roles]\nkick = Kick\n", "c.toml:2:"),          // not TOML: an unquoted string
        ("[roles]\nkick = 3\n", "c.toml:2: kick needs a quoted track name"),
        ("[ableton]\n\nmix_bus_track = true\n", "c.toml:3: mix_bus_track needs a quoted track name"),
        ("[roles\nkick = \"Kick\"\n", "c.toml:1:"),
    ])
    func aBadFileNamesItsLine(text: String, prefix: String) {
        #expect { try UpliftConfig.parse(text, path: "c.toml") } throws: { error in
            (error as? ConfigError)?.description.hasPrefix(prefix) == true
        }
    }

    @Test func theUsersFileMayBeAbsentButAGivenOneMustExist() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("uplift-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try UpliftConfig.load(environment: ["XDG_CONFIG_HOME": dir.path, "HOME": dir.path]) == UpliftConfig())
        #expect(throws: ConfigError.self) { try UpliftConfig.load(explicitPath: dir.path + "/missing.toml") }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("uplift"), withIntermediateDirectories: true)
        try "[ableton]\nmix_bus_track = \"Bus\"\n".write(to: dir.appendingPathComponent("uplift/config.toml"), atomically: true, encoding: .utf8)
        #expect(try UpliftConfig.load(environment: ["XDG_CONFIG_HOME": dir.path, "HOME": dir.path]).mixBusTrack == "Bus")
    }
}
