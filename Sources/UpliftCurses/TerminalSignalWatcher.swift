import Dispatch
import Glibc
import Synchronization

/// Turns SIGINT and SIGTERM into a flag the input poll reads, so the run loop can quit through its normal
/// path and restore the terminal (a handler that called `endwin` itself would race the drawing thread).
final class TerminalSignalWatcher {
    private final class PendingSignal: Sendable {
        let number = Atomic<Int32>(0)
    }

    private let pending = PendingSignal()
    private let sources: [any DispatchSourceSignal]
    private let signals: [Int32]

    init(signals: [Int32] = [SIGINT, SIGTERM]) {
        self.signals = signals
        let queue = DispatchQueue(label: "uplift.terminal.signals")
        var made: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)   // the dispatch source sees it; the default action (death) must not run
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let pending = self.pending
            source.setEventHandler { pending.number.store(number, ordering: .releasing) }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    /// The signal that arrived since the last call, or 0.
    func take() -> Int32 { pending.number.exchange(0, ordering: .acquiringAndReleasing) }

    func cancel() {
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
    }
}
