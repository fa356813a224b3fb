import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The benchmarks' one clock: wall time, this thread's CPU time, the whole process's and its children's.
/// Analysis cases count the thread's CPU (what one core costs, whatever else the machine does); the
/// studio counts the process's (every thread it runs); `uplift gaps` runs as a child process.
public enum BenchClock {
    /// Seconds on the monotonic clock.
    public static func wall() -> Double { read(CLOCK_MONOTONIC) }

    /// CPU seconds of the calling thread.
    public static func threadCPU() -> Double { read(CLOCK_THREAD_CPUTIME_ID) }

    /// User + system CPU seconds of every thread of this process.
    public static func processCPU() -> Double { usage(RUSAGE_SELF) }

    /// User + system CPU seconds of the finished child processes.
    public static func childrenCPU() -> Double { usage(RUSAGE_CHILDREN) }

    /// Runs `body` once: its wall time and the calling thread's CPU time.
    public static func measure(_ body: () throws -> Void) rethrows -> (cpu: Double, wall: Double) {
        let cpu0 = threadCPU(), wall0 = wall()
        try body()
        return (threadCPU() - cpu0, wall() - wall0)
    }

    private static func read(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    #if canImport(Glibc)
    private static func usage(_ who: __rusage_who) -> Double {
        var u = rusage()
        getrusage(__rusage_who_t(who.rawValue), &u)
        return seconds(u.ru_utime) + seconds(u.ru_stime)
    }
    #else
    private static func usage(_ who: Int32) -> Double {
        var u = rusage()
        getrusage(who, &u)
        return seconds(u.ru_utime) + seconds(u.ru_stime)
    }
    #endif

    private static func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) * 1e-6 }
}
