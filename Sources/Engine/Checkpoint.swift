import Foundation

/// A set of named tensors and string metadata: what a safetensors file holds.
///
/// Names follow PyTorch's `state_dict` (`controller.weight_ih`, `heads.0.key.weight`, ...) so checkpoints
/// move between arnn and PyTorch. Tensors are kept by name; `names` lists them in the order the file
/// stores them (sorted by the bytes of their UTF-8 names, as the reference writer does). Reading and
/// writing are in `SafetensorsReader.swift` and `SafetensorsWriter.swift`; the format is described in
/// `docs/checkpoints.md`.
public struct Checkpoint: Equatable, Sendable {
    /// The tensors by name. The name `__metadata__` is reserved by the format and may not be used.
    public var tensors: [String: Tensor]
    /// Free-form string metadata; arnn's own keys are in `CheckpointMetadataKey`.
    public var metadata: [String: String]
    /// Where the checkpoint was read from (`nil` if built in memory), used to name it in error messages.
    /// Not part of equality.
    public var source: String?

    public init(tensors: [String: Tensor] = [:], metadata: [String: String] = [:], source: String? = nil) {
        self.tensors = tensors
        self.metadata = metadata
        self.source = source
    }

    /// Tensor names in file order: sorted by their UTF-8 bytes.
    public var names: [String] { tensors.keys.sorted(by: Checkpoint.byteOrder) }

    /// The tensor called `name`, if present.
    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set { tensors[name] = newValue }
    }

    /// The tensor called `name`, which must have exactly `shape`.
    ///
    /// Models call this for each parameter when loading weights.
    /// - Throws: `ArnnError` naming the checkpoint and the tensor when it is missing (listing the names
    ///   that are present) or has another shape.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        guard let tensor = tensors[name] else {
            throw ArnnError("\(label): missing tensor \"\(name)\" (expected shape \(shape)); \(presentNames)")
        }
        guard tensor.shape == shape else {
            throw ArnnError("\(label): tensor \"\(name)\" has shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }

    /// The metadata value for `key`, which must be present.
    /// - Throws: `ArnnError` naming the checkpoint and the key when it is absent.
    public func metadataValue(_ key: String) throws -> String {
        guard let value = metadata[key] else {
            throw ArnnError("\(label): missing metadata \"\(key)\"")
        }
        return value
    }

    /// Checks that the checkpoint holds no tensors besides `expected`, so that loading weights of another
    /// model (or another configuration) with a matching subset of names does not pass silently.
    /// - Throws: `ArnnError` listing the unexpected names.
    public func checkNoTensors(besides expected: some Sequence<String>) throws {
        let extra = Set(tensors.keys).subtracting(expected).sorted(by: Checkpoint.byteOrder)
        guard extra.isEmpty else {
            let shown = extra.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
            let more = extra.count > 8 ? " and \(extra.count - 8) more" : ""
            throw ArnnError("\(label): unexpected tensor\(extra.count == 1 ? "" : "s") \(shown)\(more)")
        }
    }

    /// Equality of tensors and metadata; `source` is ignored.
    public static func == (lhs: Checkpoint, rhs: Checkpoint) -> Bool {
        lhs.tensors == rhs.tensors && lhs.metadata == rhs.metadata
    }

    /// The name used in messages: the file it was read from, or "checkpoint".
    var label: String { source ?? "checkpoint" }

    private var presentNames: String {
        let all = names
        if all.isEmpty { return "the checkpoint has no tensors" }
        let shown = all.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")
        return "it has \(all.count) tensor\(all.count == 1 ? "" : "s"): \(shown)\(all.count > 12 ? ", …" : "")"
    }

    /// Byte-wise order of UTF-8 names, which is how the reference implementation sorts (Rust `String`
    /// ordering); Swift's `String <` compares Unicode-normalised text and can differ.
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}

/// The metadata keys arnn writes into its checkpoints (documented in `docs/checkpoints.md`). All values
/// are strings, as the format requires; structured values are JSON text.
public enum CheckpointMetadataKey {
    /// The model kind, e.g. `ntm`, `dnc`, `seq2seq`, `act`.
    public static let kind = "arnn.kind"
    /// The model's `Config` as JSON.
    public static let config = "arnn.config"
    /// The task the model was trained on, e.g. `copy`.
    public static let task = "arnn.task"
    /// The task's settings as JSON.
    public static let taskConfig = "arnn.task_config"
    /// Training sequences seen so far, as a decimal integer.
    public static let steps = "arnn.steps"
    /// The seed of the training run, as a decimal integer.
    public static let seed = "arnn.seed"
    /// The exact command line that produced the checkpoint.
    public static let command = "arnn.command"
    /// The arnn version that wrote the file.
    public static let version = "arnn.version"
}
