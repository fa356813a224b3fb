#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Values indexed `0..<count`, kept in blocks of `1 << blockShift`, at most `residentBlocks` of them
/// in memory: past that, the least recently used block goes to a temporary file (created on first
/// need and unlinked at once, so nothing is left behind) and comes back when it is indexed again.
///
/// Why: an offline analysis keeps a few values per hop until its summary (the beat tracker needs
/// the whole track's onsets before it places a beat), so a 2-hour mix held ≈ 70 bytes a hop in
/// memory. Paged, its resident memory stays the same whatever the length; what a track shorter
/// than the resident blocks holds never touches the disk. The summaries read these mostly in order
/// (onsets, beat by beat), so a handful of resident blocks serves them. Values come back exactly as
/// written. If the file cannot be created or written (no temporary directory, a full disk), the
/// block stays in memory: nothing is lost, only the bound.
///
/// Not thread-safe (reading may page): one owner at a time, as an extractor owns its stores.
public final class PagedBuffer<Element: BitwiseCopyable> {
    public let blockShift: Int
    @usableFromInline let blockMask: Int
    /// Values held (appended, or given at `init`).
    public private(set) var count: Int
    /// Blocks allowed in memory (grows only when a block cannot be written out).
    public private(set) var residentBlocks: Int
    /// The block the last access found, for the fast path: reads and writes in order stay on it.
    @usableFromInline var hotBlock = -1
    @usableFromInline var hotPointer: UnsafeMutablePointer<Element>
    /// `hotBlock` has been marked modified (writes on the fast path need it).
    @usableFromInline var hotWritable = false

    private struct Slot {
        var block: Int
        let pointer: UnsafeMutablePointer<Element>
        var dirty: Bool
        var lastUse: Int
    }
    private var slots: [Slot] = []
    private var useClock = 0
    /// Per block: a copy is in the file (written at least once).
    private var inFile: [Bool] = []
    private var file: Int32 = -1
    private var fileFailed = false
    /// Blocks written to and read from the file (for tests and the bench).
    public private(set) var blocksWritten = 0, blocksRead = 0
    /// What a block holds before it is written (nil: only ever filled by `append`, in order).
    private let fill: Element?
    private let directory: String?

    /// `count` copies of `value` (blocks are created as they are first touched), growing by `append`.
    /// `directory`: where the file goes (default `$TMPDIR`, else /tmp).
    public convenience init(repeating value: Element, count: Int = 0, blockShift: Int = Paging.blockShift,
                            residentBlocks: Int = Paging.residentBlocks, directory: String? = nil) {
        self.init(fill: value, blockShift: blockShift, residentBlocks: residentBlocks, directory: directory)
        self.count = max(0, count)
        inFile = [Bool](repeating: false, count: (self.count + blockMask) >> self.blockShift)
    }

    private init(fill: Element?, blockShift: Int, residentBlocks: Int, directory: String?) {
        self.directory = directory
        self.blockShift = max(4, blockShift)
        blockMask = (1 << self.blockShift) - 1
        self.residentBlocks = max(2, residentBlocks)
        count = 0
        self.fill = fill
        hotPointer = UnsafeMutablePointer(bitPattern: 1 << 12)!  // never read while hotBlock is -1
    }

    /// A copy of `values` (all resident when they fit in the resident blocks).
    public convenience init(_ values: [Element], blockShift: Int = Paging.blockShift, residentBlocks: Int = Paging.residentBlocks) {
        self.init(fill: nil, blockShift: blockShift, residentBlocks: residentBlocks, directory: nil)
        for v in values { append(v) }
    }

    deinit {
        for slot in slots { slot.pointer.deallocate() }
        if file >= 0 { close(file) }
    }

    public var blockSize: Int { 1 << blockShift }
    /// Bytes of values in memory now (the resident blocks).
    public var residentBytes: Int { (slots.count << blockShift) * MemoryLayout<Element>.stride }

    @inlinable
    public subscript(i: Int) -> Element {
        get {
            if i >> blockShift == hotBlock { return hotPointer[i & blockMask] }
            return pointer(forBlock: i >> blockShift, writing: false)[i & blockMask]
        }
        set {
            if i >> blockShift == hotBlock, hotWritable { hotPointer[i & blockMask] = newValue; return }
            pointer(forBlock: i >> blockShift, writing: true)[i & blockMask] = newValue
        }
    }

    public func append(_ value: Element) {
        if count & blockMask == 0 { inFile.append(false) }  // a new block, allocated when touched
        count += 1
        self[count - 1] = value
    }

    /// Allocates the memory for the first `count` values now (up to the resident blocks), so that
    /// filling them later, after `removeAll` too, allocates nothing (a live window's copy).
    public func reserve(_ count: Int) {
        let blocks = (max(0, count) + blockMask) >> blockShift
        slots.reserveCapacity(residentBlocks)
        while slots.count < min(blocks, residentBlocks) {
            slots.append(Slot(block: -1, pointer: .allocate(capacity: 1 << blockShift), dirty: false, lastUse: 0))
        }
        inFile.reserveCapacity(blocks)
    }

    /// Empties the buffer, keeping its memory and file for reuse.
    public func removeAll() {
        count = 0
        inFile.removeAll(keepingCapacity: true)
        for s in slots.indices { slots[s].block = -1; slots[s].dirty = false; slots[s].lastUse = 0 }
        hotBlock = -1
    }

    /// All values, in order (allocates).
    public func toArray() -> [Element] { (0..<count).map { self[$0] } }

    /// The block's memory, paged in (from the file, or filled) if it is not resident.
    @usableFromInline
    func pointer(forBlock block: Int, writing: Bool) -> UnsafeMutablePointer<Element> {
        precondition(block >= 0 && block < inFile.count, "PagedBuffer index out of range")
        useClock += 1
        var s = slots.firstIndex { $0.block == block }
        if s == nil { s = pageIn(block) }
        let index = s!
        slots[index].lastUse = useClock
        if writing { slots[index].dirty = true }
        hotBlock = block
        hotPointer = slots[index].pointer
        hotWritable = slots[index].dirty
        return hotPointer
    }

    private func pageIn(_ block: Int) -> Int {
        let index: Int
        if let free = slots.firstIndex(where: { $0.block < 0 }) {  // reserved, or freed by `removeAll`
            slots[free].block = block
            slots[free].dirty = false
            index = free
        } else if slots.count < residentBlocks {
            slots.append(Slot(block: block, pointer: .allocate(capacity: 1 << blockShift), dirty: false, lastUse: useClock))
            index = slots.count - 1
        } else {
            let lru = slots.indices.min { slots[$0].lastUse < slots[$1].lastUse }!
            // A slot freed by `removeAll` (block -1) holds nothing to keep.
            if slots[lru].block >= 0, slots[lru].dirty || !inFile[slots[lru].block] {
                guard write(slots[lru]) else {
                    // Cannot page out: keep every block in memory from now on.
                    residentBlocks += 1
                    return pageIn(block)
                }
            }
            if slots[lru].block == hotBlock { hotBlock = -1 }
            slots[lru].block = block
            slots[lru].dirty = false
            index = lru
        }
        let p = slots[index].pointer
        if inFile[block] {
            read(block, into: p)
            blocksRead += 1
        } else {
            if let fill { p.initialize(repeating: fill, count: 1 << blockShift) }
            slots[index].dirty = true  // not in the file yet: it must be written if it leaves
        }
        return index
    }

    private var blockBytes: Int { (1 << blockShift) * MemoryLayout<Element>.stride }

    private func write(_ slot: Slot) -> Bool {
        guard openFile() else { return false }
        let offset = off_t(slot.block) * off_t(blockBytes)
        guard writeAll(slot.pointer, bytes: blockBytes, at: offset) else { return false }
        inFile[slot.block] = true
        blocksWritten += 1
        return true
    }

    private func writeAll(_ pointer: UnsafeMutablePointer<Element>, bytes: Int, at offset: off_t) -> Bool {
        let raw = UnsafeRawPointer(pointer)
        var done = 0
        while done < bytes {
            let n = pwrite(file, raw + done, bytes - done, offset + off_t(done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    private func read(_ block: Int, into pointer: UnsafeMutablePointer<Element>) {
        let raw = UnsafeMutableRawPointer(pointer)
        let offset = off_t(block) * off_t(blockBytes)
        var done = 0
        while done < blockBytes {
            let n = pread(file, raw + done, blockBytes - done, offset + off_t(done))
            if n < 0, errno == EINTR { continue }
            // A block in the file was written whole: a short read means the file is gone bad.
            precondition(n > 0, "PagedBuffer: the temporary file lost a block")
            done += n
        }
    }

    private func openFile() -> Bool {
        if file >= 0 { return true }
        if fileFailed { return false }
        var template = Array(((directory ?? Paging.temporaryDirectory) + "/uplift-pages.XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { fileFailed = true; return false }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        file = fd
        return true
    }
}

/// How long histories page (`PagedBuffer`'s defaults, which the offline analysis's stores use).
public enum Paging {
    /// Values per block, as a power of two: 8192 (95 s of hops at 44.1 kHz; 32 KB of floats).
    nonisolated(unsafe) public static var blockShift = 13
    /// Blocks each buffer keeps in memory: 8 (12 minutes of hops at 44.1 kHz): shorter tracks never page.
    nonisolated(unsafe) public static var residentBlocks = 8
    // Both are variables for one reason: a memory test lowers them in a child process of its own,
    // before it builds any extractor, so paging shows at a test's short lengths. Nothing else sets them.

    static var temporaryDirectory: String {
        var dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        if dir.isEmpty { dir = "/tmp" }
        while dir.count > 1, dir.hasSuffix("/") { dir.removeLast() }
        return dir
    }
}
