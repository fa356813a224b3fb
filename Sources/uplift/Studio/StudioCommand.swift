import ArgumentParser
import UpliftModel
import UpliftStudio

/// How the studio commands end on a failure: the library's one line on standard error, exit status 1.
enum StudioCommand {
    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let error as StudioError {
            StandardError.line(error.description)
            throw ExitCode.failure
        } catch let error as ConfigError {
            StandardError.line(error.description)
            throw ExitCode.failure
        }
    }
}
