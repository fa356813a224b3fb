import Testing

/// The end-to-end runs that pace themselves by the clock (real-time playback, tmux screens polled
/// with deadlines) and the CPU-heavy demo run: one at a time, so none starves another's deadlines
/// on a 2-core machine. Suites nest here through extensions.
@Suite(.serialized) enum TerminalEndToEnd {}
