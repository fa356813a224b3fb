import UpliftTerminal
import UpliftModel
import UpliftTUI

/// Frame-time measurement for `uplift bench`: render + diff of the full screen on a moving snapshot.
public enum TUIBenchmarks {
    public struct FrameTimeResult: Sendable, CustomStringConvertible {
        public var width: Int
        public var height: Int
        public var frames: Int
        public var meanRenderMS: Double
        public var meanDiffMS: Double
        /// Mean render + diff per frame.
        public var meanFrameMS: Double
        public var worstFrameMS: Double
        public var meanChangedCells: Double
        /// Frames per second render + diff could sustain on one core.
        public var sustainableFPS: Double { meanFrameMS > 0 ? 1000 / meanFrameMS : .infinity }
        /// Share of one core at 30 fps spent in render + diff.
        public var coreShareAt30FPS: Double { meanFrameMS * 30 / 1000 }

        public var description: String {
            "TUI frame \(width)×\(height): render \(NumberFormat.fixed(meanRenderMS, 3)) ms + diff \(NumberFormat.fixed(meanDiffMS, 3)) ms"
                + " = \(NumberFormat.fixed(meanFrameMS, 3)) ms mean, \(NumberFormat.fixed(worstFrameMS, 3)) ms worst"
                + " (\(NumberFormat.fixed(sustainableFPS, 0)) fps sustainable; \(NumberFormat.fixed(coreShareAt30FPS * 100, 2)) % of a core at 30 fps;"
                + " \(NumberFormat.fixed(meanChangedCells, 0)) cells changed per frame)"
        }
    }

    /// Renders `frames` frames at `size`, the snapshot advancing 1/30 s per frame as in live use.
    public static func frameTime(size: Size = Size(width: 120, height: 40), frames: Int = 600,
                                 colorDepth: ColorDepth = .truecolor) -> FrameTimeResult {
        let clock = MonotonicClock()
        let generator = PreviewSnapshotGenerator()
        let theme = ThemeCatalog.defaultTheme.resolved(for: colorDepth)
        var state = AppState(size: size)
        var previous: CellBuffer?
        var current = CellBuffer(size: size)
        var changes: [CellChange] = []
        var renderTotal = 0.0, diffTotal = 0.0, worst = 0.0, changedTotal = 0
        for frame in 0..<frames {
            let time = Double(frame) / 30
            let snapshot = generator.next(timeS: time, positionS: time)
            _ = reduce(&state, .snapshotPublished(snapshot))
            let start = clock.nowSeconds()
            render(state: state, snapshot: snapshot, theme: theme, into: &current)
            let rendered = clock.nowSeconds()
            current.changes(since: previous, into: &changes)
            let diffed = clock.nowSeconds()
            renderTotal += rendered - start
            diffTotal += diffed - rendered
            worst = max(worst, diffed - start)
            changedTotal += changes.count
            previous = current
        }
        let n = Double(max(1, frames))
        return FrameTimeResult(width: size.width, height: size.height, frames: frames,
                               meanRenderMS: renderTotal / n * 1000, meanDiffMS: diffTotal / n * 1000,
                               meanFrameMS: (renderTotal + diffTotal) / n * 1000, worstFrameMS: worst * 1000,
                               meanChangedCells: Double(changedTotal) / n)
    }
}
