/// Float storage handed out in stable chunks: a pointer it returns stays valid until `reset()`, and
/// `reset()` keeps the chunks, so a graph that computes the same shapes again allocates nothing.
/// With `withGradients`, every allocation has a twin of equal size for its gradient.
final class Arena {
    private struct Chunk {
        let values: UnsafeMutablePointer<Float>
        let grads: UnsafeMutablePointer<Float>?
        let capacity: Int
    }

    private let withGradients: Bool
    private let chunkSize: Int
    private var chunks: [Chunk] = []
    private var current = 0
    private var used = 0

    init(withGradients: Bool, chunkSize: Int = 1 << 18) {
        self.withGradients = withGradients
        self.chunkSize = chunkSize
    }

    deinit {
        for c in chunks {
            c.values.deallocate()
            c.grads?.deallocate()
        }
    }

    /// Room for `count` floats (and their gradient, zeroed when `zeroGradient`), aligned to 64 bytes within
    /// the chunk.
    func allocate(_ count: Int, zeroGradient: Bool = true) -> (value: UnsafeMutablePointer<Float>, grad: UnsafeMutablePointer<Float>?) {
        let size = (max(count, 1) + 15) & ~15
        while true {
            if current < chunks.count {
                let c = chunks[current]
                if used + size <= c.capacity {
                    let v = c.values + used
                    let g = c.grads.map { $0 + used }
                    used += size
                    if zeroGradient { g?.update(repeating: 0, count: count) }
                    return (v, g)
                }
                if used == 0 {
                    // An empty chunk too small for this request: put a big enough one in its place.
                    c.values.deallocate()
                    c.grads?.deallocate()
                    chunks[current] = makeChunk(max(size, chunkSize))
                    continue
                }
                current += 1
                used = 0
            } else {
                chunks.append(makeChunk(max(size, chunkSize)))
            }
        }
    }

    private func makeChunk(_ capacity: Int) -> Chunk {
        let v = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        v.initialize(repeating: 0, count: capacity)
        var g: UnsafeMutablePointer<Float>? = nil
        if withGradients {
            g = .allocate(capacity: capacity)
            g!.initialize(repeating: 0, count: capacity)
        }
        return Chunk(values: v, grads: g, capacity: capacity)
    }

    func reset() {
        current = 0
        used = 0
    }

    /// Floats held in all chunks.
    var capacity: Int { chunks.reduce(0) { $0 + $1.capacity } }
}
