import Engine
import Foundation
import Testing

/// A PyTorch parity fixture (Tests/Fixtures/make_*_fixture.py): a model's weights beside PyTorch's values
/// under `reference.`. A recurrent model's fixture also holds one episode's input `reference.input`
/// [T, B, X] and the upstream gradient of its logits `reference.upstream` [T, B, Y]; a story model's holds
/// its stories in the metadata instead. A file may hold several models, each under a prefix (`group:`).
struct ParityFixture {
    let reference: Checkpoint
    /// The weights alone, for `Model(checkpoint:)`.
    let weights: Checkpoint
    /// The episode's steps and batch (recurrent fixtures, which hold `reference.input`).
    var steps: Int { reference["reference.input"]!.shape[0] }
    var batch: Int { reference["reference.input"]!.shape[1] }
    /// Every compared quantity's scaled difference, for `ARNN_PRINT_PARITY`.
    private(set) var worst: [String: Float] = [:]

    init(path: String) throws {
        self.init(reference: try Checkpoint.read(from: path))
    }

    /// One group of a fixture that holds several models (Tests/Fixtures/make_neural_stack_fixture.py): its
    /// tensors `<group>.<name>` and metadata `<group>.<key>` (among them `<group>.arnn.kind` and
    /// `<group>.arnn.config`), read as a fixture of its own.
    init(path: String, group: String) throws {
        let file = try Checkpoint.read(from: path), prefix = group + "."
        func strip<V>(_ d: [String: V]) -> [String: V] {
            var out: [String: V] = [:]
            for (key, value) in d where key.hasPrefix(prefix) { out[String(key.dropFirst(prefix.count))] = value }
            return out
        }
        self.init(reference: Checkpoint(tensors: strip(file.tensors), metadata: strip(file.metadata), source: file.source))
    }

    private init(reference: Checkpoint) {
        self.reference = reference
        var w = reference
        w.tensors = reference.tensors.filter { !$0.key.hasPrefix("reference.") }
        weights = w
    }

    /// A JSON value of the metadata (a story fixture's `stories`, `questions`, `answers`).
    func metadata<T: Decodable>(_ key: String, as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(reference.metadata[key]!.utf8))
    }

    /// Step `t`'s input [B, X], a constant of `g`.
    func input(_ g: Graph, step t: Int) -> Var {
        let input = reference["reference.input"]!, x = input.shape[2]
        return g.constant(Tensor(shape: [batch, x], data: Array(input.data[(t * batch * x)..<((t + 1) * batch * x)])))
    }

    /// Every step's input, in order.
    func inputs(_ g: Graph) -> [Var] { (0..<steps).map { input(g, step: $0) } }

    /// Back-propagates the upstream gradient through every step's logits [B, Y]; returns them as [T·B, Y].
    @discardableResult
    func backward(_ g: Graph, logits: [Var]) -> Var {
        let upstream = reference["reference.upstream"]!
        let all = g.concat(logits, axis: 0)
        g.backward(g.sum(g.mul(all, g.constant(upstream.reshaped([steps * batch, upstream.shape[2]])))))
        return all
    }

    /// `a` matches the reference `name` within |a − b| ≤ 1e-5 · max(1, |b|): absolute for values up to 1,
    /// relative above.
    mutating func expectClose(_ a: [Float], _ name: String, label: String = "",
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let b = reference[name]!
        let what = label.isEmpty ? name : "\(label) \(name)"
        #expect(a.count == b.count, "\(what): \(a.count) values vs \(b.shape)", sourceLocation: sourceLocation)
        guard a.count == b.count else { return }
        let excess = zip(a, b.data).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        worst[name] = excess
        #expect(excess <= 1e-5, "\(what): scaled difference \(excess)", sourceLocation: sourceLocation)
    }

    /// With ARNN_PRINT_PARITY set, prints every compared quantity's scaled difference.
    func printWorst() {
        guard ProcessInfo.processInfo.environment["ARNN_PRINT_PARITY"] != nil else { return }
        for (k, v) in worst.sorted(by: { $0.key < $1.key }) { print("parity \(k): \(v)") }
    }
}
