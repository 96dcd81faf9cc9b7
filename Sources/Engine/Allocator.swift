#if os(Linux)
/// glibc's `mallopt` (malloc.h, which the Glibc module does not export) and two of its parameters.
@_silgen_name("mallopt") private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1
private let M_MMAP_THRESHOLD: Int32 = -3
#endif

/// The C allocator's settings for a process that builds and frees the same large buffers again and again
/// (a training batch's graph, a decoded sentence's).
public enum Allocator {
    /// Keeps freed blocks in the heap instead of handing them back to the kernel. glibc serves a request
    /// above its mmap threshold (128 KiB at first, rising with use) with fresh pages and unmaps them when
    /// freed, so the next batch's buffers of the same size fault in and are zeroed by the kernel again: a
    /// fifth of the transformer's training time on sort went there. Both thresholds are raised to 256 MiB.
    /// The numbers computed do not change. Call once, before the work starts.
    public static func keepFreedBlocks() {
        #if os(Linux)
        let limit: Int32 = 256 << 20
        _ = mallopt(M_MMAP_THRESHOLD, limit)
        _ = mallopt(M_TRIM_THRESHOLD, limit)
        #endif
    }
}
