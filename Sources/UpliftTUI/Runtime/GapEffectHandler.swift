import Synchronization

/// Carries out the gap pane's effects (`applyFix`, `rejectFix`, `undoLastFix`, `redoLastFix`) off the UI
/// thread. `perform` must return at once; results go to `post` as actions, from any thread.
/// The executable provides the real one (Ableton bridge + rejection store); tests provide fakes.
public protocol GapEffectHandler: Sendable {
    func perform(_ effect: Effect, post: @escaping @Sendable (Action) -> Void)
}

/// Actions posted from background work, drained by the run loop on its own thread.
public final class ActionInbox: Sendable {
    private let pending = Mutex<[Action]>([])
    public init() {}

    public func post(_ action: Action) { pending.withLock { $0.append(action) } }

    /// Everything posted so far, oldest first.
    public func drain() -> [Action] { pending.withLock { queue in defer { queue.removeAll() }; return queue } }
}
