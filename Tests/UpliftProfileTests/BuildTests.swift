import Foundation
import Testing
import UpliftModel
@testable import UpliftProfile

@Suite struct BuildTests {
    func builder(_ analyzer: CountingAnalyzer, cache: AnalysisCache?, jobs: Int = 2,
                 cancellation: CancellationFlag = CancellationFlag()) -> ProfileBuilder {
        ProfileBuilder(batch: BatchAnalyzer(analyzer: analyzer, cache: cache, jobs: jobs, cancellation: cancellation))
    }

    @Test func rebuildAfterAddingFilesAnalysesOnlyTheNewOnes() throws {
        let dir = TemporaryDirectory()
        for i in 0..<6 { dir.write("lib/a/track\(i).flac", "audio \(i) " + String(repeating: "x", count: i)) }
        let cache = try AnalysisCache(path: dir.file("cache/analysis.sqlite"))
        let analyzer = CountingAnalyzer()
        let first = try builder(analyzer, cache: cache).build(roots: [dir.file("lib")], name: "lib")
        #expect(analyzer.count == 6 && first.batch.analysedCount == 6 && first.batch.cachedCount == 0)
        #expect(first.profile.trackCount == 6)

        dir.write("lib/b/new1.wav", "new one")
        dir.write("lib/b/new2.mp3", "new two")
        let second = try builder(analyzer, cache: cache).build(roots: [dir.file("lib")], name: "lib")
        #expect(analyzer.count == 8, "only the 2 new files are analysed")
        #expect(second.batch.cachedCount == 6 && second.batch.analysedCount == 2)
        #expect(second.profile.trackCount == 8)

        // One byte changed: re-analysed; a renamed file keeps its cached analysis (content-keyed).
        dir.write("lib/a/track0.flac", "audio 0 changed")
        try FileManager.default.moveItem(atPath: dir.file("lib/a/track1.flac"), toPath: dir.file("lib/a/renamed.flac"))
        _ = try builder(analyzer, cache: cache).build(roots: [dir.file("lib")], name: "lib")
        #expect(analyzer.count == 9)

        // A new analyzer version makes every entry stale; --no-cache analyses everything.
        let upgraded = CountingAnalyzer(version: 2)
        _ = try builder(upgraded, cache: cache).build(roots: [dir.file("lib")], name: "lib")
        #expect(upgraded.count == 8)
        let uncached = CountingAnalyzer()
        _ = try builder(uncached, cache: nil).build(roots: [dir.file("lib")], name: "lib")
        #expect(uncached.count == 8)
    }

    @Test func aGarbledCacheIsSetAsideWithANoticeAndAGarbledEntryIsReanalysed() throws {
        let dir = TemporaryDirectory()
        let text = String(repeating: "not sqlite at all ", count: 300)
        let garbage = dir.write("cache/broken.sqlite", text)
        let rebuilt = try AnalysisCache(path: garbage)
        let notice = try #require(rebuilt.notice)
        #expect(notice.contains("moved to \(garbage).corrupt-"))
        // The damaged file is kept (for a look), the new cache at the path works.
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir.file("cache")).filter { $0.hasPrefix("broken.sqlite.corrupt-") }
        #expect(aside.count == 1)
        #expect(aside.first.flatMap { FileManager.default.contents(atPath: dir.file("cache/\($0)")) } == Data(text.utf8))
        try rebuilt.store(TrackAnalysis(file: "/y.wav", durationS: 1, sampleRate: 44_100, channels: 2), contentHash: "h", analyzerVersion: 1)
        #expect(rebuilt.count() == 1)
        #expect(try AnalysisCache(path: garbage).notice == nil)
        let cache = try AnalysisCache(path: dir.file("cache/ok.sqlite"))
        var a = TrackAnalysis(file: "/x.wav", durationS: 3, sampleRate: 44_100, channels: 2)
        a.tempo = .init(bpm: 138, confidence: 1, stability: 1, firstBeatS: 0)
        try cache.store(a, contentHash: "abc", analyzerVersion: 1)
        #expect(cache.analysis(contentHash: "abc", analyzerVersion: 1) == a)
        #expect(cache.analysis(contentHash: "abc", analyzerVersion: 2) == nil)
        #expect(cache.analysis(contentHash: "abd", analyzerVersion: 1) == nil)
    }

    @Test func aCorruptFileAmongGoodOnesIsReportedAndSkipped() throws {
        let dir = TemporaryDirectory()
        for i in 0..<4 { dir.write("lib/good\(i).wav", "fine \(i)") }
        dir.write("lib/bad.wav", "corrupt bytes")
        let analyzer = CountingAnalyzer()
        let events = Locked<[BatchProgress.Event]>([])
        let outcome = try builder(analyzer, cache: nil).build(roots: [dir.file("lib")], name: "lib") { p in
            events.withLock { $0.append(p.event) }
        }
        #expect(outcome.profile.trackCount == 4)
        #expect(outcome.profile.skipped.map(\.path) == [dir.file("lib/bad.wav")])
        #expect(outcome.profile.skipped[0].reason.contains("not a readable audio file"))
        let seen = events.withLock { $0 }
        #expect(seen.first == .started && seen.last == .finished)
        #expect(seen.contains(.failed(path: dir.file("lib/bad.wav"), reason: "not a readable audio file")))
        #expect(seen.filter { if case .fileStarted = $0 { true } else { false } }.count == 5)
    }

    @Test func realFilesThroughTrackAnalyzerWithCorruptEmptyAndTextFiles() throws {
        let dir = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.file("refs"), withIntermediateDirectories: true)
        for i in 0..<3 { try WAVFile.writeTestTrack(path: dir.file("refs/t\(i).wav"), seconds: 1.5 + Double(i) * 0.5, variant: UInt64(i)) }
        dir.write("refs/notes.wav", "this is a text file renamed .wav")
        dir.write("refs/empty.flac", "")
        dir.write("refs/readme.txt", "not audio, not even scanned")
        let outcome = try ProfileBuilder(batch: BatchAnalyzer(cache: nil, jobs: 2)).build(roots: [dir.file("refs")], name: "real")
        #expect(outcome.profile.trackCount == 3)
        #expect(Set(outcome.profile.skipped.map(\.path)) == [dir.file("refs/notes.wav"), dir.file("refs/empty.flac")])
        let duration = try #require(outcome.profile.features["duration_s"])
        #expect(abs(duration.median - 2.0) < 0.01 && duration.n == 3)
        let source = try #require(outcome.profile.sources.first)
        #expect(source.contentHash == (try ContentHash.hexOfFile(atPath: source.path)))
        #expect(source.sizeBytes > 0)
    }

    @Test func ctrlCStopsCleanlyKeepsTheCacheAndResumes() throws {
        let dir = TemporaryDirectory()
        for i in 0..<8 { dir.write("lib/t\(i).ogg", "track \(i)") }
        let cache = try AnalysisCache(path: dir.file("cache.sqlite"))
        let analyzer = CountingAnalyzer()
        let flag = CancellationFlag()
        #expect {
            try builder(analyzer, cache: cache, jobs: 1, cancellation: flag).build(roots: [dir.file("lib")], name: "lib") { p in
                if p.done == 3 { flag.cancel() }
            }
        } throws: { ($0 as? ProfileError)?.code == .interrupted }
        #expect(analyzer.count == 3)
        #expect(cache.count() == 3)
        let resumed = CountingAnalyzer()
        let outcome = try builder(resumed, cache: cache).build(roots: [dir.file("lib")], name: "lib")
        #expect(resumed.count == 5 && outcome.batch.cachedCount == 3)
    }

    @Test func updateReanalysesChangedAndNewFilesAndDropsRemovedOnes() throws {
        let dir = TemporaryDirectory()
        for i in 0..<5 { dir.write("lib/t\(i).wav", "track \(i)") }
        let cache = try AnalysisCache(path: dir.file("cache.sqlite"))
        let analyzer = CountingAnalyzer()
        let built = try builder(analyzer, cache: cache).build(roots: [dir.file("lib")], name: "lib").profile
        dir.write("lib/t0.wav", "track 0, remastered")
        dir.write("lib/t5.wav", "track 5")
        try FileManager.default.removeItem(atPath: dir.file("lib/t4.wav"))
        let (outcome, summary) = try builder(analyzer, cache: cache).update(built)
        #expect(summary.added == [dir.file("lib/t5.wav")])
        #expect(summary.changed == [dir.file("lib/t0.wav")])
        #expect(summary.removed == [dir.file("lib/t4.wav")])
        #expect(summary.unchanged == 3)
        #expect(analyzer.count == 7)
        #expect(outcome.profile.trackCount == 5 && outcome.profile.createdAt == built.createdAt)
        #expect(outcome.profile.updatedAt != nil)
    }

    /// A profile and cache from before XXH3 (bare SHA-256 hex): `update` re-hashes each unchanged file once,
    /// keeps its cached analysis (no analysis runs) and counts it unchanged; a later build reads the new key.
    @Test func updateOfASHA256ProfileRehashesWithoutReanalysing() throws {
        let dir = TemporaryDirectory()
        for i in 0..<3 { dir.write("lib/t\(i).wav", "track \(i)") }
        let cache = try AnalysisCache(path: dir.file("cache.sqlite"))
        let analyzer = CountingAnalyzer()
        var built = try builder(analyzer, cache: cache).build(roots: [dir.file("lib")], name: "lib").profile
        #expect(analyzer.count == 3)
        // Turn the build into what an older Uplift left: SHA-256-looking keys everywhere.
        for i in built.sources.indices {
            let path = built.sources[i].path
            let legacy = String(repeating: String(i), count: 64)
            let stamp = try #require(AnalysisCache.FileStamp.of(path: path))
            let current = try #require(cache.rememberedHash(path: path, stamp: stamp))
            let analysis = try #require(cache.analysis(contentHash: current, analyzerVersion: analyzer.version))
            try cache.store(analysis, contentHash: legacy, analyzerVersion: analyzer.version)
            cache.rememberHash(legacy, path: path, stamp: stamp)
            built.sources[i].contentHash = legacy
        }
        let (outcome, summary) = try builder(analyzer, cache: cache).update(built)
        #expect(analyzer.count == 3, "no file is analysed again")
        #expect(summary.unchanged == 3 && summary.changed.isEmpty && summary.added.isEmpty)
        #expect(outcome.profile.sources.allSatisfy { ContentHash.isCurrent($0.contentHash) })
        let again = try builder(analyzer, cache: cache).build(roots: [dir.file("lib")], name: "lib")
        #expect(analyzer.count == 3 && again.batch.cachedCount == 3)
        #expect(again.batch.tracks.allSatisfy { $0.legacyHash == nil }, "re-hashed once, not every time")
    }

    @Test func scanFollowsSymlinksDetectsCyclesAndSkipsHiddenAndNonAudio() throws {
        let dir = TemporaryDirectory()
        dir.write("lib/a/one.WAV", "1")
        dir.write("lib/a/deep/two.aiff", "2")
        dir.write("lib/a/._one.wav", "resource fork")
        dir.write("lib/a/cover.jpg", "img")
        dir.write("elsewhere/three.flac", "3")
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: dir.file("lib/a/deep/loop"), withDestinationPath: dir.file("lib/a"))
        try fm.createSymbolicLink(atPath: dir.file("lib/linked"), withDestinationPath: dir.file("elsewhere"))
        try fm.createSymbolicLink(atPath: dir.file("lib/three-again.flac"), withDestinationPath: dir.file("elsewhere/three.flac"))
        try fm.createSymbolicLink(atPath: dir.file("lib/broken.wav"), withDestinationPath: dir.file("nowhere.wav"))
        let result = AudioFileScanner().scan([dir.file("lib")])
        #expect(result.files.count == 3, "\(result.files)")
        #expect(result.files.contains(dir.file("lib/a/one.WAV")))
        #expect(result.files.contains(dir.file("lib/a/deep/two.aiff")))
        #expect(result.files.contains { $0.hasSuffix("three.flac") || $0.hasSuffix("three-again.flac") })
        #expect(result.revisitedFolders >= 1)
        #expect(result.problems.map(\.path) == [dir.file("lib/broken.wav")])
    }
}
