import ArgumentParser
import Foundation
import UpliftGaps
import UpliftModel
import UpliftProfile

extension ProfileCommand {
    /// `uplift profile feedback P [--json] [--reset [FEATURE]] [--mute FEATURE]`: what the profile learned from
    /// the producer's decisions (approved, rejected, undone, blind picks, measured closures) and from which.
    struct Feedback: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a profile learned from your decisions; forget it with --reset.",
            discussion: """
            Every approve, reject, undo, blind pick and re-export measurement is recorded per profile in \
            feedback.json in the state folder (beside rejections.json, not in the profile). From it the gap \
            ranking learns: a feature whose fixes you keep rejecting sinks (and rises when you approve), a kind \
            of fix whose re-exports measure more or less than promised is sized accordingly, the alternative \
            you pick is offered first, and blind tests that prefer the mix without a feature's fixes raise a \
            taste check. Every adjusted gap's reason says so.
            """)

        @Argument(help: "Profile name or path.") var name: String
        @Flag(help: "Print JSON (schema uplift.feedback-summary/1).") var json = false
        @Flag(help: "Forget what was learned: everything, or only FEATURE's decisions (a feature or learning key as listed).")
        var reset = false
        @Argument(help: ArgumentHelp("With --reset: the feature to forget (e.g. stereo.side_mid_ratio).", valueName: "FEATURE"))
        var feature: String?
        @Option(help: ArgumentHelp("Stop reporting a feature's gaps for this profile (after a taste check); --reset FEATURE brings it back.", valueName: "FEATURE"))
        var mute: String?

        func validate() throws {
            if feature != nil && !reset { throw ValidationError("a FEATURE is only read with --reset (uplift profile feedback P --reset FEATURE)") }
            if mute != nil && reset { throw ValidationError("choose one of --reset and --mute") }
        }

        func run() throws {
            let profile = try ProfileCLI.load(name, json: json)
            let store = FeedbackStore(path: FeedbackStore.defaultPath())
            try ProfileCLI.run(json: json) {
                if reset {
                    let n = try store.reset(profile: profile.name, feature: feature)
                    if !json {
                        print(n == 0 ? "Nothing to forget\(feature.map { " for \($0)" } ?? "") in \(profile.name)."
                                     : "Forgot \(n) decision\(n == 1 ? "" : "s")\(feature.map { " about \($0)" } ?? "") for \(profile.name): its gaps rank as the profile alone says.")
                    }
                }
                if let mute {
                    try store.record(FeedbackStore.Decision(kind: .muted, feature: mute, learningKey: mute, reason: "uplift profile feedback --mute"),
                                     profile: profile.name)
                    if !json { print("\(mute) is no longer reported for \(profile.name) (shown dimmed); uplift profile feedback \(name) --reset \(mute) brings it back.") }
                }
                let learned = LearnedRanking(profile: profile.name, decisions: try store.decisions(profile: profile.name))
                if json {
                    print(String(decoding: try UpliftJSON.encoder().encode(learned.summary), as: UTF8.self))
                } else if !reset && mute == nil {
                    print(learned.text(), terminator: "")
                }
            }
        }
    }
}
