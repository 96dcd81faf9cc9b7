import Engine
import Foundation
import Episodes

/// Which update rule trains the model, with its hyperparameters.
public enum OptimizerChoice: String, Codable, Sendable, CaseIterable {
    case rmsprop, adam, sgd
}

/// Everything that decides a training run besides the model's config: with the same options (and thread
/// count) a run gives the same weights, bit for bit.
public struct TrainingOptions: Codable, Equatable, Sendable {
    public var seed: UInt64 = 1
    /// Sequences to train on in all (a run stops there; `--resume` continues the count).
    public var sequences: Int = 20_000
    /// What a run to `sequences` trains on: whole batches, so `sequences` rounded up to a multiple of
    /// `batchSize`.
    public var sequencesInWholeBatches: Int { (sequences + batchSize - 1) / Swift.max(batchSize, 1) * batchSize }
    public var batchSize: Int = 1
    public var optimizer: OptimizerChoice = .rmsprop
    public var learningRate: Float = 1e-4
    public var momentum: Float = 0.9
    /// RMSprop's α.
    public var alpha: Float = 0.95
    /// Gradients are clamped elementwise to ±clipValue (0: no clamping).
    public var clipValue: Float = 10
    /// The whole gradient is scaled down to this ℓ2 norm when above it (0: never), after any clamping.
    public var clipNorm: Float = 0
    /// Step decay: the rate halves after every `lrHalveEvery` sequences (0: a fixed rate), counted from
    /// `lrHalveFrom` sequences on (a phase before it, such as a linear start, keeps the first rate).
    public var lrHalveEvery: Int = 0
    public var lrHalveFrom: Int = 0
    /// L2 regularisation: `weightDecay` × the weight added to every gradient (PyTorch's `weight_decay`;
    /// Adam and SGD; 0: none).
    public var weightDecay: Float = 0
    /// Gradient noise (Neelakantan et al. 2015, as the Neural Programmer trains): Gaussian noise of variance
    /// η / (1 + t)^0.55 added to every gradient element at optimiser step t, after clipping (0: none).
    public var gradientNoise: Float = 0
    /// Worker threads that split each batch (results depend on the count, so it is part of the options).
    public var threads: Int = 1
    /// Write a checkpoint every this many sequences (0: only at the end).
    public var checkpointEvery: Int = 1000
    /// Keep a weights-only snapshot every this many sequences beside the checkpoint (0: none); see
    /// `SnapshotFolder`. It changes no weights; it is an option so that `--resume` keeps the cadence.
    public var keepEvery: Int = 0
    /// Curriculum: start with sequences no longer than the task's shortest, and raise the longest length
    /// by one whenever the mean wrong bits per sequence over the last `curriculumWindow` sequences is below
    /// `curriculumThreshold`, until the task's own maximum.
    public var curriculum: Bool = false
    public var curriculumThreshold: Double = 0.5
    public var curriculumWindow: Int = 200
    /// Every sequence of a batch has one length, drawn per batch (uniformly over the lengths the task takes,
    /// up to the curriculum's stage), so a padded model pads nothing and the worker threads get equal work.
    public var sameLength: Bool = false

    public init() {}

    // Decoding fills in defaults for fields an older checkpoint did not write.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = TrainingOptions()
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? d.seed
        sequences = try c.decodeIfPresent(Int.self, forKey: .sequences) ?? d.sequences
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        optimizer = try c.decodeIfPresent(OptimizerChoice.self, forKey: .optimizer) ?? d.optimizer
        learningRate = try c.decodeIfPresent(Float.self, forKey: .learningRate) ?? d.learningRate
        momentum = try c.decodeIfPresent(Float.self, forKey: .momentum) ?? d.momentum
        alpha = try c.decodeIfPresent(Float.self, forKey: .alpha) ?? d.alpha
        clipValue = try c.decodeIfPresent(Float.self, forKey: .clipValue) ?? d.clipValue
        clipNorm = try c.decodeIfPresent(Float.self, forKey: .clipNorm) ?? d.clipNorm
        lrHalveEvery = try c.decodeIfPresent(Int.self, forKey: .lrHalveEvery) ?? d.lrHalveEvery
        lrHalveFrom = try c.decodeIfPresent(Int.self, forKey: .lrHalveFrom) ?? d.lrHalveFrom
        weightDecay = try c.decodeIfPresent(Float.self, forKey: .weightDecay) ?? d.weightDecay
        gradientNoise = try c.decodeIfPresent(Float.self, forKey: .gradientNoise) ?? d.gradientNoise
        threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? d.threads
        checkpointEvery = try c.decodeIfPresent(Int.self, forKey: .checkpointEvery) ?? d.checkpointEvery
        keepEvery = try c.decodeIfPresent(Int.self, forKey: .keepEvery) ?? d.keepEvery
        curriculum = try c.decodeIfPresent(Bool.self, forKey: .curriculum) ?? d.curriculum
        curriculumThreshold = try c.decodeIfPresent(Double.self, forKey: .curriculumThreshold) ?? d.curriculumThreshold
        curriculumWindow = try c.decodeIfPresent(Int.self, forKey: .curriculumWindow) ?? d.curriculumWindow
        sameLength = try c.decodeIfPresent(Bool.self, forKey: .sameLength) ?? d.sameLength
    }

    public func validate() throws {
        func check(_ ok: Bool, _ flag: String, _ expected: String, _ value: Any) throws {
            if !ok { throw ArnnError("\(flag) must be \(expected), got \(value)") }
        }
        try check(sequences >= 1, "--sequences", "at least 1", sequences)
        try check(batchSize >= 1 && batchSize <= 4096, "--batch-size", "in 1...4096", batchSize)
        try check(learningRate > 0 && learningRate.isFinite, "--lr", "a positive number", learningRate)
        try check(momentum >= 0 && momentum < 1, "--momentum", "in [0, 1)", momentum)
        try check(alpha > 0 && alpha < 1, "--alpha", "in (0, 1)", alpha)
        try check(clipValue >= 0 && clipValue.isFinite, "--clip", "0 or a positive number", clipValue)
        try check(clipNorm >= 0 && clipNorm.isFinite, "--clip-norm", "0 or a positive number", clipNorm)
        try check(lrHalveEvery >= 0, "--lr-halve-every", "0 or more sequences", lrHalveEvery)
        try check(lrHalveFrom >= 0, "--lr-halve-from", "0 or more sequences", lrHalveFrom)
        try check(weightDecay >= 0 && weightDecay.isFinite, "--weight-decay", "0 or a positive number", weightDecay)
        try check(weightDecay == 0 || optimizer != .rmsprop, "--weight-decay", "used with adam or sgd", optimizer.rawValue)
        try check(gradientNoise >= 0 && gradientNoise.isFinite, "--gradient-noise", "0 or a positive number", gradientNoise)
        try check(threads >= 1 && threads <= 64, "--threads", "in 1...64", threads)
        try check(threads <= batchSize, "--threads", "at most the batch size (\(batchSize))", threads)
        try check(checkpointEvery >= 0, "--checkpoint-every", "0 or more", checkpointEvery)
        try check(keepEvery >= 0, "--keep-every", "at least 1", keepEvery)
        try check(curriculumThreshold > 0, "--curriculum-threshold", "positive", curriculumThreshold)
        try check(curriculumWindow >= 1, "--curriculum-window", "at least 1", curriculumWindow)
    }

    /// The learning rate after `sequencesDone` sequences: `learningRate`, halved after every
    /// `lrHalveEvery` sequences past `lrHalveFrom`.
    public func learningRate(after sequencesDone: Int) -> Float {
        guard lrHalveEvery > 0, sequencesDone > lrHalveFrom else { return learningRate }
        let halvings = (sequencesDone - lrHalveFrom) / lrHalveEvery
        return learningRate * Float(pow(0.5, Double(min(halvings, 200))))
    }

    /// The standard deviation of the gradient noise at optimiser step `t` (from 0): √(η / (1 + t)^0.55).
    public func gradientNoiseStd(step t: Int) -> Float {
        gradientNoise > 0 ? Float((Double(gradientNoise) / pow(1 + Double(t), 0.55)).squareRoot()) : 0
    }

    /// The optimiser these options describe, over `parameters`.
    public func makeOptimizer(_ parameters: [Parameter]) -> Optimizer {
        switch optimizer {
        case .rmsprop: RMSprop(parameters, learningRate: learningRate, alpha: alpha, eps: 1e-8, momentum: momentum)
        case .adam: Adam(parameters, learningRate: learningRate, weightDecay: weightDecay)
        case .sgd: SGD(parameters, learningRate: learningRate, momentum: momentum, weightDecay: weightDecay)
        }
    }
}
