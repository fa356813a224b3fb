/// Beat times of a (possibly drifting) tempo; positions between beats interpolate linearly.
struct TempoMap {
    /// `beatTimesS[n]` is the start of beat n; one extra entry marks the end of the last beat.
    let beatTimesS: [Double]

    init(bpm: Double, change: TempoChange, totalBeats: Int, beatsPerBar: Int = 4) {
        var times = [Double](repeating: 0, count: totalBeats + 1)
        for n in 0..<totalBeats {
            let tempo: Double
            switch change {
            case .none: tempo = bpm
            case .linearDrift(let end):
                tempo = totalBeats > 1 ? bpm + (end - bpm) * Double(n) / Double(totalBeats - 1) : bpm
            case .step(let bar, let to): tempo = n >= bar * beatsPerBar ? to : bpm
            }
            times[n + 1] = times[n] + 60 / tempo
        }
        beatTimesS = times
    }

    var totalBeats: Int { beatTimesS.count - 1 }
    var endS: Double { beatTimesS[beatTimesS.count - 1] }

    /// Time in seconds of a fractional beat position.
    func time(ofBeat position: Double) -> Double {
        if position <= 0 { return position * (beatTimesS.count > 1 ? beatTimesS[1] : 0.5) }
        let n = Int(position)
        if n >= totalBeats { return endS + (position - Double(totalBeats)) * (endS - beatTimesS[max(totalBeats - 1, 0)]) }
        let f = position - Double(n)
        return beatTimesS[n] + f * (beatTimesS[n + 1] - beatTimesS[n])
    }

    /// Seconds per beat at a beat position.
    func beatLengthS(atBeat position: Double) -> Double {
        let n = min(max(Int(position), 0), totalBeats - 1)
        return beatTimesS[n + 1] - beatTimesS[n]
    }
}
