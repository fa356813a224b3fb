import Testing
@testable import UpliftGaps

/// Live input holds the sub-style cluster it compared with first until another is nearest for four refreshes in a
/// row (16 bars): an intro window nearer another cluster does not swap the references under the producer.
struct LiveClusterHoldTests {
    @Test func theFirstChoiceIsHeldAgainstShortDriftAndFollowsALastingChange() {
        var hold = LiveClusterHold()
        #expect(hold.decide(nearest: 2) == (2, false))
        // Three windows nearer cluster 0, then back: never switched.
        for _ in 0..<3 { #expect(hold.decide(nearest: 0) == (2, false)) }
        #expect(hold.decide(nearest: 2) == (2, false))
        // Alternating candidates do not add up.
        for nearest in [0, 1, 0, 1, 0, 1] { #expect(hold.decide(nearest: nearest) == (2, false)) }
        #expect(hold.decide(nearest: 2) == (2, false))
        // Four in a row: switched, once.
        for _ in 0..<3 { #expect(hold.decide(nearest: 1) == (2, false)) }
        #expect(hold.decide(nearest: 1) == (1, true))
        #expect(hold.decide(nearest: 1) == (1, false))
        // No cluster this time (a profile without clusters, too few members): the held one stays.
        #expect(hold.decide(nearest: nil) == (1, false))
        #expect(hold.held == 1)
    }
}
