import Engine

/// One of the continuous data structures of Grefenstette et al. 2015 (docs/models/neural-stack.md): which
/// end each of its heads pushes at, and which end it pops and reads at. Rows are kept oldest push first
/// at the bottom, so a stack and a queue differ only in the end they pop and read.
public protocol ContinuousStructure: Sendable {
    /// The model kind (`stack`, `queue`, `deque`).
    static var kind: String { get }
    /// One line for `arnn help models`.
    static var summary: String { get }
    /// The heads, each with its own push d, pop u and value v, in the order their pops apply.
    static var heads: [StructureHead] { get }
}

/// Where one head of a structure pushes, and where it pops and reads.
public struct StructureHead: Sendable, Equatable {
    public var pushesAt: StackEnd
    public var popsAt: StackEnd
    /// The head's name in snapshots, traces and scenes (`top`, `front`, `bottom`).
    public var name: String
}

/// Pushes on top, pops and reads the top: last in, first out (eqs. (1)–(3)).
public enum ContinuousStack: ContinuousStructure {
    public static let kind = "stack"
    public static let summary = "neural stack (Grefenstette 2015): an LSTM pushes, pops and reads the top of a continuous stack"
    public static let heads = [StructureHead(pushesAt: .top, popsAt: .top, name: "top")]
}

/// Pushes on top, pops and reads the bottom: first in, first out (eqs. (4)–(5)).
public enum ContinuousQueue: ContinuousStructure {
    public static let kind = "queue"
    public static let summary = "neural queue (Grefenstette 2015): an LSTM enqueues at the back, dequeues and reads the front"
    public static let heads = [StructureHead(pushesAt: .top, popsAt: .bottom, name: "front")]
}

/// Pushes, pops and reads at both ends; the top's pop applies first (eqs. (6)–(11), as docs/models/neural-stack.md reads them).
public enum ContinuousDeque: ContinuousStructure {
    public static let kind = "deque"
    public static let summary = "neural double-ended queue (Grefenstette 2015): an LSTM pushes, pops and reads at both ends"
    public static let heads = [StructureHead(pushesAt: .top, popsAt: .top, name: "top"),
                               StructureHead(pushesAt: .bottom, popsAt: .bottom, name: "bottom")]
}
