/// How many colours the terminal can show. Themes are written in RGB and resolved once to the depth.
public enum ColorDepth: String, Sendable, CaseIterable {
    case truecolor
    case palette256 = "256"
    case palette8 = "8"
    /// `NO_COLOR`, or a terminal without colours: styles keep only bold/dim/reverse.
    case none

    /// The nearest colour this depth can show.
    public func quantize(_ color: Color) -> Color {
        switch (self, color) {
        case (_, .default): return .default
        case (.none, _): return .default
        case (.truecolor, _): return color
        case (.palette256, .indexed): return color
        case (.palette256, .rgb(let r, let g, let b)): return .indexed(ColorDepth.nearest256(r, g, b))
        case (.palette8, .indexed(let index)): return .indexed(index < 8 ? index : ColorDepth.nearest8(index))
        case (.palette8, .rgb(let r, let g, let b)): return .indexed(ColorDepth.nearest8(r, g, b))
        }
    }

    /// The RGB value of an xterm palette index (the 16 system colours use xterm's defaults).
    public static func rgb(ofIndex index: UInt8) -> (UInt8, UInt8, UInt8) {
        let i = Int(index)
        if i < 16 { return system16[i] }
        if i >= 232 { let v = UInt8(8 + 10 * (i - 232)); return (v, v, v) }
        let c = i - 16
        return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
    }

    static let cubeLevels: [UInt8] = [0, 95, 135, 175, 215, 255]
    static let system16: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// Nearest index in the 6×6×6 cube or the grey ramp (the 16 system colours vary by terminal, so we avoid them).
    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        func cubeStep(_ v: UInt8) -> Int {
            var best = 0
            for (n, level) in cubeLevels.enumerated() where abs(Int(level) - Int(v)) < abs(Int(cubeLevels[best]) - Int(v)) { best = n }
            return best
        }
        let cube = 16 + 36 * cubeStep(r) + 6 * cubeStep(g) + cubeStep(b)
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let grey = 232 + min(23, max(0, (average - 3) / 10))
        return distance(rgb(ofIndex: UInt8(cube)), (r, g, b)) <= distance(rgb(ofIndex: UInt8(grey)), (r, g, b))
            ? UInt8(cube) : UInt8(grey)
    }

    /// Nearest of the 8 ANSI colours, judged by hue rather than xterm's exact values so that a dark blue
    /// stays blue and a light grey becomes white.
    static func nearest8(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let maxC = max(r, g, b), minC = min(r, g, b)
        if Int(maxC) - Int(minC) < 40 { return maxC >= 128 ? 7 : 0 }   // greys: white or black
        let threshold = (Int(maxC) + Int(minC)) / 2
        let red = Int(r) > threshold ? 1 : 0, green = Int(g) > threshold ? 2 : 0, blue = Int(b) > threshold ? 4 : 0
        let index = red | green | blue
        return UInt8(index == 7 ? 7 : index)
    }

    static func nearest8(_ index: UInt8) -> UInt8 {
        if index < 16 { return index % 8 }
        let (r, g, b) = rgb(ofIndex: index)
        return nearest8(r, g, b)
    }

    static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }
}
