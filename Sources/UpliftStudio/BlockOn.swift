import Foundation

/// Runs async work from synchronous code (a command's `run`, a `defer`) and waits for it. The work runs
/// on a detached task, so the waiting thread must not be one the work needs: call it from a command's
/// main thread or a plain thread, never from inside the cooperative pool.
public func blockOn<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockOnResult<T>()
    let semaphore = DispatchSemaphore(value: 0)
    Task.detached {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    return try box.result!.get()
}

/// The non-throwing form.
public func blockOn<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    // The throwing form cannot throw for a body that does not.
    try! blockOn { () async throws -> T in await body() }
}

private final class BlockOnResult<T>: @unchecked Sendable {
    // Written once by the task before the semaphore is signalled, read only after the wait.
    var result: Result<T, any Error>?
}
