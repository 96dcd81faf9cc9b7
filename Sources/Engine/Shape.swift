/// A tensor shape of rank 0 to 4, stored inline so that creating a graph node allocates nothing.
public struct Shape: Equatable, Hashable, Sendable, CustomStringConvertible {
    public static let maxRank = 4
    public let rank: Int
    private var d: (Int, Int, Int, Int)

    public init(_ dims: [Int]) {
        precondition(dims.count <= Shape.maxRank, "rank \(dims.count) is above the supported \(Shape.maxRank)")
        precondition(dims.allSatisfy { $0 >= 0 }, "negative dimension in \(dims)")
        rank = dims.count
        d = (dims.count > 0 ? dims[0] : 1, dims.count > 1 ? dims[1] : 1,
             dims.count > 2 ? dims[2] : 1, dims.count > 3 ? dims[3] : 1)
    }

    public init(_ dims: Int...) { self.init(dims) }

    public subscript(_ i: Int) -> Int {
        precondition(i >= 0 && i < rank, "axis \(i) out of range for rank \(rank)")
        switch i {
        case 0: return d.0
        case 1: return d.1
        case 2: return d.2
        default: return d.3
        }
    }

    public var dims: [Int] { (0..<rank).map { self[$0] } }
    /// Number of elements.
    public var count: Int { rank == 0 ? 1 : (0..<rank).reduce(1) { $0 * self[$1] } }
    /// Size of the last axis (1 for a scalar).
    public var last: Int { rank == 0 ? 1 : self[rank - 1] }
    /// Product of all axes but the last.
    public var rows: Int { rank == 0 ? 1 : count / Swift.max(last, 1) }

    /// Product of the axes before `axis`, the size of `axis`, and the product of the axes after it.
    public func split(at axis: Int) -> (outer: Int, n: Int, inner: Int) {
        precondition(axis >= 0 && axis < rank, "axis \(axis) out of range for shape \(self)")
        var outer = 1, inner = 1
        for i in 0..<axis { outer *= self[i] }
        for i in (axis + 1)..<rank { inner *= self[i] }
        return (outer, self[axis], inner)
    }

    /// This shape with `axis` replaced by `size`, or removed when `size` is nil.
    public func replacing(axis: Int, with size: Int?) -> Shape {
        var ds = dims
        if let size { ds[axis] = size } else { ds.remove(at: axis) }
        return Shape(ds)
    }

    public static func == (a: Shape, b: Shape) -> Bool {
        guard a.rank == b.rank else { return false }
        for i in 0..<a.rank where a[i] != b[i] { return false }
        return true
    }

    public func hash(into h: inout Hasher) {
        h.combine(rank)
        for i in 0..<rank { h.combine(self[i]) }
    }

    public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
}
