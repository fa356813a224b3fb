import Foundation

/// One measured point of a parameter's curve: Live showed `value` (in the map's unit, to
/// ± `resolution` / 2, the last digit of its display text) when the raw value was `raw`.
public struct CurvePoint: Codable, Sendable, Equatable {
    public var raw: Double
    public var value: Double
    public var resolution: Double

    /// The point a read-back gives, when its text is a finite number in `unit`.
    static func observed(raw: Double, text: String, unit: PhysicalUnit?) -> CurvePoint? {
        guard let unit, unit != .plain || PhysicalValue.parse(text)?.unit == .plain,
              let shown = PhysicalValue.parse(text), shown.unit == unit || shown.unit == .plain,
              shown.value.isFinite, raw.isFinite, let resolution = DisplayText.resolution(text) else { return nil }
        return CurvePoint(raw: raw, value: shown.value, resolution: resolution)
    }
}

/// Live's display text as a measurement: its value and its resolution (its last digit).
enum DisplayText {
    /// "2.50 kHz" → 10 (Hz), "-3.0 dB" → 0.1, "1.20 s" → 10 (ms), "80 %" → 1, "4.00 : 1" → 0.01.
    static func resolution(_ text: String) -> Double? {
        let s = text.lowercased().replacingOccurrences(of: " ", with: "")
        let numberPart: Substring
        if let colon = s.firstIndex(of: ":") { numberPart = s[..<colon] } else { numberPart = Substring(s) }
        let digits = numberPart.prefix { "+-0123456789.".contains($0) }
        guard digits.contains(where: \.isNumber) else { return nil }
        let decimals = digits.firstIndex(of: ".").map { digits.distance(from: $0, to: digits.endIndex) - 1 } ?? 0
        let unitPart = numberPart.dropFirst(digits.count)
        let scale: Double = unitPart.hasPrefix("khz") ? 1000 : unitPart == "s" ? 1000 : 1
        return pow(10, -Double(decimals)) * scale
    }

    /// True when `text` shows `target` at its own resolution (what a producer reading Live sees).
    static func shows(_ text: String, _ target: PhysicalValue) -> Bool {
        guard let shown = PhysicalValue.parse(text) else { return false }
        let unit = shown.unit == .plain && target.unit != .plain ? target.unit : shown.unit
        guard unit == target.unit else { return false }
        if !shown.value.isFinite || !target.value.isFinite { return shown.value == target.value }
        guard let resolution = resolution(text) else { return false }
        return abs(shown.value - target.value) <= resolution / 2 * (1 + 1e-9) + 1e-12
    }
}

/// Finds the raw value that makes Live show a target, from the points seen so far: secant steps
/// in the coordinate where the points look straightest (the map's own, linear, or logarithmic),
/// safeguarded by bisection once the target is bracketed.
enum CurveSolver {
    enum Coordinate: CaseIterable { case map, linear, log }

    static func nextRaw(target: Double, spec: ParameterSpec, min: Double, max: Double, points: [CurvePoint],
                        avoid: [Double] = []) -> Double? {
        let map = { (v: Double) in spec.scale.raw(physical: v, min: min, max: max) }
        var pts: [CurvePoint] = []
        for p in points where p.raw.isFinite && p.value.isFinite && p.raw >= min && p.raw <= max {
            if let i = pts.firstIndex(where: { rawEqual($0.raw, p.raw) }) { pts[i] = p } else { pts.append(p) }
        }
        let avoided = { (r: Double) in avoid.contains { rawEqual($0, r) } }
        if let hit = pts.first(where: { abs($0.value - target) <= $0.resolution / 2 * (1 + 1e-9) }), !avoided(hit.raw) { return hit.raw }
        var guess: Double
        switch pts.count {
        case 0:
            guess = map(target)
        case 1:
            // Nothing measured yet but the value shown now: move 80 % of the map's way from the
            // current raw value. Even where the map is off by a scale (another Live version), the
            // step stays between the old value and the target, and it spans a baseline long
            // enough for the next (secant) step to be accurate despite the display's rounding.
            let p0 = pts[0]
            let (y0, yT) = (map(p0.value), map(target))
            guess = y0.isFinite && yT.isFinite ? p0.raw + 0.8 * (yT - y0) : yT
        default:
            guard let coordinate = bestCoordinate(pts, target: target, spec: spec, map: map, min: min, max: max),
                  let predicted = predict(pts, target: target, coordinate: coordinate, map: map) else {
                guess = map(target)
                break
            }
            guess = predicted
        }
        // Once the target is bracketed, stay strictly inside the bracket (bisect when a step leaves it).
        let below = pts.filter { $0.value < target }.max { $0.value < $1.value }
        let above = pts.filter { $0.value > target }.min { $0.value < $1.value }
        if let below, let above {
            let (lo, hi) = (Swift.min(below.raw, above.raw), Swift.max(below.raw, above.raw))
            if !(guess > lo && guess < hi) || avoided(guess) { guess = (lo + hi) / 2 }
        }
        guard guess.isFinite else { return nil }
        guess = Swift.min(Swift.max(guess, min), max)
        if avoided(guess) { return nil }
        return guess
    }

    static func phi(_ c: Coordinate, _ v: Double, map: (Double) -> Double) -> Double? {
        let y: Double
        switch c {
        case .map: y = map(v)
        case .linear: y = v
        case .log: y = v > 0 ? Foundation.log(v) : .nan
        }
        return y.isFinite ? y : nil
    }

    /// With three or more points, the coordinate whose local secants predict the points best
    /// (leave one out); with two, the one whose straight line through them spans a display range
    /// closest to the map's (the map's range is usually right where its curve is not).
    static func bestCoordinate(_ pts: [CurvePoint], target: Double, spec: ParameterSpec, map: @escaping (Double) -> Double,
                               min: Double, max: Double) -> Coordinate? {
        guard pts.count >= 2 else { return .map }
        var best: (Coordinate, Double)? = nil
        for c in Coordinate.allCases {
            guard phi(c, target, map: map) != nil, pts.allSatisfy({ phi(c, $0.value, map: map) != nil }) else { continue }
            var score = 0.0
            if pts.count >= 3 {
                for i in pts.indices {
                    var rest = pts
                    let left = rest.remove(at: i)
                    guard let r = predict(rest, target: left.value, coordinate: c, map: map) else { score = .infinity; break }
                    score += abs(r - left.raw) / Swift.max(max - min, 1e-12)
                }
            } else {
                guard let y0 = phi(c, pts[0].value, map: map), let y1 = phi(c, pts[1].value, map: map), y1 != y0 else { continue }
                // raw = a·y + b through both points; the display this line gives at min and max, back in map raw.
                let a = (pts[1].raw - pts[0].raw) / (y1 - y0), b = pts[0].raw - a * y0
                guard a != 0 else { continue }
                // Displays beyond the map's own range count as its ends (a line through two points
                // may reach 0 where the map's log scale starts at 0.01).
                let displayEnds = [spec.scale.physical(raw: min, min: min, max: max), spec.scale.physical(raw: max, min: min, max: max)]
                let (lowShown, highShown) = (displayEnds.min() ?? 0, displayEnds.max() ?? 0)
                let clampShown = { (v: Double) in lowShown.isFinite && highShown.isFinite ? Swift.min(Swift.max(v, lowShown), highShown) : v }
                let ends = [min, max].map { r -> Double in
                    let y = (r - b) / a
                    // In map coordinates y already is the map's raw for what Live would show.
                    return switch c {
                    case .map: y
                    case .linear: map(clampShown(y))
                    case .log: map(clampShown(Foundation.exp(y)))
                    }
                }
                score = abs(ends[0] - min) + abs(ends[1] - max)
                if !score.isFinite { score = .infinity }
            }
            if let current = best, score >= current.1 - 1e-12 { continue }
            best = (c, score)
        }
        return best?.0
    }

    /// A secant through the two points that bracket the target in this coordinate, or the two nearest.
    static func predict(_ pts: [CurvePoint], target: Double, coordinate c: Coordinate, map: (Double) -> Double) -> Double? {
        guard let yT = phi(c, target, map: map) else { return nil }
        let ys = pts.compactMap { p in phi(c, p.value, map: map).map { (y: $0, r: p.raw) } }
        guard ys.count >= 2 else { return nil }
        let lower = ys.filter { $0.y <= yT }.max { $0.y < $1.y }
        let upper = ys.filter { $0.y >= yT }.min { $0.y < $1.y }
        var pair: ((y: Double, r: Double), (y: Double, r: Double))
        if let lower, let upper, lower.y != upper.y {
            pair = (lower, upper)
        } else {
            let nearest = ys.sorted { abs($0.y - yT) < abs($1.y - yT) }
            guard let second = nearest.dropFirst().first(where: { $0.y != nearest[0].y }) else { return nil }
            pair = (nearest[0], second)
        }
        let slope = (pair.1.r - pair.0.r) / (pair.1.y - pair.0.y)
        let r = pair.0.r + (yT - pair.0.y) * slope
        return r.isFinite ? r : nil
    }
}

/// The measured curves, one list of points per Live version, device class and parameter, in
/// `calibration.json` of the state folder (written atomically; merged with what is on disk, so
/// two Uplift processes do not lose each other's points).
struct CalibrationStore: Sendable {
    let url: URL
    private(set) var curves: [String: [CurvePoint]] = [:]
    private var changed = false
    static let maxPointsPerCurve = 48

    init(url: URL) {
        self.url = url
        curves = CalibrationStore.read(url)
    }

    static func key(liveVersion: String, deviceClass: String, parameter: String) -> String {
        "\(liveVersion)|\(deviceClass)|\(parameter)"
    }

    func points(_ key: String) -> [CurvePoint] { curves[key] ?? [] }

    mutating func add(_ points: [CurvePoint], key: String) {
        var list = curves[key] ?? []
        for p in points {
            if let i = list.firstIndex(where: { rawEqual($0.raw, p.raw) }) {
                if list[i] != p { list[i] = p; changed = true }
            } else {
                list.append(p)
                changed = true
            }
        }
        if list.count > CalibrationStore.maxPointsPerCurve { list.removeFirst(list.count - CalibrationStore.maxPointsPerCurve) }
        curves[key] = list
    }

    mutating func saveIfChanged(warnings: inout [String]) {
        guard changed else { return }
        var merged = CalibrationStore.read(url)
        for (key, points) in curves {
            var list = merged[key] ?? []
            for p in points where !list.contains(where: { rawEqual($0.raw, p.raw) }) { list.append(p) }
            merged[key] = Array(list.suffix(CalibrationStore.maxPointsPerCurve))
        }
        do throws(AbletonError) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            guard let data = try? encoder.encode(CalibrationFile(version: 1, curves: merged)) else { return }
            try DurableFile.write(data, to: url, what: "the calibration file")
            curves = merged
            changed = false
        } catch {
            warnings.append("could not save measured curves: \(error.description)")
        }
    }

    private static func read(_ url: URL) -> [String: [CurvePoint]] {
        guard let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(CalibrationFile.self, from: data) else { return [:] }
        return file.curves
    }

    private struct CalibrationFile: Codable {
        var version: Int
        var curves: [String: [CurvePoint]]
    }
}
