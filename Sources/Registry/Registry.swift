import Engine
import Episodes
import Models
import Tasks
import Viewing
import Visualiser

/// The one place that names every model, task and scene. Adding a model means a model folder, a scene
/// folder and one line in `entries`; nothing else in arnn names a model.
public enum Registry {
    /// One model kind: how the core makes and loads it, and the scene that draws its episodes.
    public struct Entry: Sendable {
        public let model: ModelEntry
        public let scene: SceneEntry
        /// The speed goals `arnn bench MODEL` marks rows against (nil: none set).
        public var bench = BenchTargets()
        /// The task `arnn bench`, `arnn models` and the registry tests use for this model.
        public var defaultTask = "copy"
    }

    /// Speed goals of a model's benchmark rows.
    public struct BenchTargets: Sendable {
        public var step: String?
        public var trainBatch1: String?
        public var trainBatched: String?
        public var converge: String?
        public init(step: String? = nil, trainBatch1: String? = nil, trainBatched: String? = nil, converge: String? = nil) {
            self.step = step
            self.trainBatch1 = trainBatch1
            self.trainBatched = trainBatched
            self.converge = converge
        }
    }

    public static let entries: [Entry] = [
        Entry(model: .recurrent(NTM.self, summary: "Neural Turing Machine: LSTM or feed-forward controller, read and write heads on an N×M memory",
                                defaultConfig: { NTMConfig(inputSize: $0, outputSize: $1) }),
              scene: SceneEntry(NTMScene.self),
              bench: BenchTargets(step: "≤ 30 µs", trainBatch1: "≥ 300 seq/s", trainBatched: "≥ 1,000 seq/s at best",
                                  converge: "≤ 120 s")),
        Entry(model: .recurrent(LSTMModel.self, summary: "LSTM baseline of the NTM paper: stacked LSTM layers, then a linear output",
                                defaultConfig: { LSTMConfig(inputSize: $0, outputSize: $1) }),
              scene: SceneEntry(LSTMScene.self)),
        Entry(model: .recurrent(ACTModel.self, summary: "Adaptive Computation Time (Graves 2016): a tanh RNN (or an LSTM, cell=lstm) that ponders a learned number of sub-steps per input",
                                defaultConfig: { ACTConfig(inputSize: $0, outputSize: $1) }),
              scene: SceneEntry(ACTScene.self),
              // PyTorch on this machine, 2 threads (scripts/bench_pytorch_act.py, same sitting as arnn's 8.35 µs,
              // 73,000 and 100,000 seq/s): 216 µs an input step at batch 1 on the step row's input (N = 2 sub-steps,
              // 108 µs each; the demo: 129 µs, N = 1), 15,400 and 28,600 training sequences a second at batch 32
              // and 128 (parity on 64 entries, fresh, N = 2). A second sitting: PyTorch 227 µs, 12,600 and 18,000
              // seq/s; arnn 8.2 µs, 54,600 and 106,600. PyTorch's two threads stall on a busy machine (ms a step).
              // The LSTM cell (`arnn bench act --set cell=lstm` against `bench_pytorch_act.py --cell lstm`, one
              // sitting): arnn 35.5 µs a step (N = 2), 20,400 and 29,900 seq/s at batch 32 and 128; PyTorch 925 µs,
              // 3,550 and 8,660 (the tanh cell in the same sitting: arnn 21.8 µs, 48,400 and 77,100 seq/s).
              bench: BenchTargets(step: "< 216 µs (PyTorch)", trainBatch1: nil,
                                  trainBatched: "> 15,400 seq/s at 32, 28,600 at 128 (PyTorch)"),
              defaultTask: ParityTask.name),
        Entry(model: .recurrent(DNC.self, summary: "Differentiable Neural Computer: LSTM controller, usage-based allocation and temporal links on an N×W memory",
                                defaultConfig: { DNCConfig(inputSize: $0, outputSize: $1) }),
              scene: SceneEntry(DNCScene.self),
              // Issue 11: the PyTorch `dnc` package takes 586–900 µs a step and trains 17–21 seq/s here.
              bench: BenchTargets(step: "≤ 60 µs", trainBatch1: nil, trainBatched: "≥ 200 seq/s", converge: "≤ 300 s")),
        Entry(model: .encoderDecoder(Seq2Seq.self, task: TranslationTask.self,
                                     summary: "attention encoder-decoder (Bahdanau): bidirectional GRU encoder, GRU decoder with additive or dot attention",
                                     defaultConfig: { Seq2SeqConfig(sourceVocabulary: $0, targetVocabulary: $1) }),
              scene: SceneEntry(Seq2SeqScene.self),
              // PyTorch on this machine: 154 µs a decoder step, 253 greedy translations and 568 training
              // sentences a second (scripts/bench_pytorch_seq2seq.py).
              bench: BenchTargets(step: "< 154 µs (PyTorch)", trainBatch1: nil, trainBatched: "> 568 seq/s (PyTorch)"),
              defaultTask: TranslationTask.name),
        Entry(model: .encoderDecoder(Transformer.self,
                                     summary: "transformer encoder-decoder (Vaswani 2017, pre-norm): multi-head self- and cross-attention, exact or Linformer/Performer",
                                     defaultConfig: { TransformerConfig(sourceVocabulary: $0, targetVocabulary: $1) }),
              scene: SceneEntry(TransformerScene.self),
              // Issue 22's goals: 3× PyTorch a decoded token, 2× in training. PyTorch on this machine, quiet,
              // translation's sizes, at its best of 1 and 2 threads: 953 µs a decoder step, 906 training
              // sentences a second at batch 32 (scripts/bench_pytorch_transformer.py, two runs).
              bench: BenchTargets(step: "≤ 318 µs (3× PyTorch)", trainBatch1: nil, trainBatched: "≥ 1,812 seq/s (2× PyTorch)"),
              defaultTask: TranslationTask.name),
        Entry(model: .readThenAnswer(MemN2N<BabiSample>.self, task: BabiTask.self,
                                     summary: "end-to-end memory network (Sukhbaatar 2015): attends over a story's sentences in 3 hops, then answers",
                                     defaultConfig: { _ in
                                         MemN2NConfig(vocabularySize: BabiTask.vocabulary.count,
                                                      answerWords: BabiTask.answers.map { BabiTask.vocabulary.firstIndex(of: $0)! })
                                     }),
              scene: SceneEntry(MemN2NScene.self),
              // Issue 19's goal is 5× PyTorch (scripts/bench_pytorch_memnets.py, its best thread count,
              // one: 540 µs an answer and 1,361 questions a second at batch 32, on this machine).
              bench: BenchTargets(step: "≤ 108 µs (5× PyTorch)", trainBatched: "≥ 6,805 seq/s (5× PyTorch)"),
              defaultTask: BabiTask.name),
        Entry(model: .readThenAnswer(DMN<BabiSample>.self, task: BabiTask.self,
                                     summary: "dynamic memory network DMN+ (Xiong 2016): facts from a bidirectional GRU, 3 passes of attention gates and an attention GRU, then answers",
                                     defaultConfig: { _ in
                                         DMNConfig(vocabularySize: BabiTask.vocabulary.count, answerCount: BabiTask.answers.count)
                                     }),
              scene: SceneEntry(DMNScene.self),
              // 5× PyTorch (scripts/bench_pytorch_memnets.py --model dmn, its best thread count): 4,244 µs
              // an answer and 282 questions a second at batch 32 on this machine.
              bench: BenchTargets(step: "≤ 849 µs (5× PyTorch)", trainBatched: "≥ 1,410 seq/s (5× PyTorch)"),
              defaultTask: BabiTask.name),
        Entry(model: .recurrent(NeuralStack<ContinuousStack>.self, summary: ContinuousStack.summary,
                                defaultConfig: { NeuralStackConfig(inputSize: $0, outputSize: $1) }),
              scene: SceneEntry(NeuralStackScene<ContinuousStack>.self),
              // Issue 20: 5× PyTorch a step at batch 1, 2× in training at the demos' batch of 10
              // (scripts/bench_pytorch_stack.py, one thread: 491 µs a step, 72 seq/s at batch 10, this machine).
              bench: BenchTargets(step: "≤ 98 µs (5× PyTorch)", trainBatched: "≥ 144 seq/s (2× PyTorch)"),
              defaultTask: Reversal.name),
        Entry(model: .recurrent(NeuralStack<ContinuousQueue>.self, summary: ContinuousQueue.summary,
                                defaultConfig: { NeuralStackConfig(inputSize: $0, outputSize: $1) }),
              scene: SceneEntry(NeuralStackScene<ContinuousQueue>.self),
              // Issue 20: 5× PyTorch a step at batch 1, 2× in training at the demos' batch of 10
              // (scripts/bench_pytorch_stack.py, one thread: 648 µs a step, 83 seq/s at batch 10, this machine).
              bench: BenchTargets(step: "≤ 130 µs (5× PyTorch)", trainBatched: "≥ 166 seq/s (2× PyTorch)"),
              defaultTask: SymbolCopy.name),
        Entry(model: .recurrent(NeuralStack<ContinuousDeque>.self, summary: ContinuousDeque.summary,
                                defaultConfig: { NeuralStackConfig(inputSize: $0, outputSize: $1) }),
              scene: SceneEntry(NeuralStackScene<ContinuousDeque>.self),
              // Issue 20: 5× PyTorch a step at batch 1, 2× in training at the demos' batch of 10
              // (scripts/bench_pytorch_stack.py, one thread: 777 µs a step, 52 seq/s at batch 10, this machine).
              bench: BenchTargets(step: "≤ 155 µs (5× PyTorch)", trainBatched: "≥ 104 seq/s (2× PyTorch)"),
              defaultTask: Reversal.name),
        Entry(model: .readThenAnswer(NeuralProgrammer<TableQASample>.self, task: TableQATask.self,
                                     summary: "Neural Programmer (Neelakantan 2016): chooses an operation and a column of a table at each of T steps, then answers with a number or cells",
                                     defaultConfig: { _ in
                                         NeuralProgrammerConfig(vocabularySize: TableQAVocabulary.words.count,
                                                                maxRows: TableQATask.mostRows, maxColumns: TableQATask.mostColumns)
                                     },
                                     objective: { TableAnswerObjective(columns: $0.config.maxColumns, lookupWeight: $0.config.lookupWeight,
                                                                       delta: $0.config.huberDelta) }),
              scene: SceneEntry(NeuralProgrammerScene.self),
              // Issue 21: 5× PyTorch an answer at batch 1, 2× in training (scripts/bench_pytorch_np.py, one thread,
              // CPU time: 3,367 µs an answer and 1,004 questions a second at batch 20 on this machine).
              bench: BenchTargets(step: "≤ 673 µs (5× PyTorch)", trainBatched: "≥ 2,008 seq/s (2× PyTorch)"),
              defaultTask: TableQATask.name),
    ]

    public static let tasks = TaskCatalog([CopyTask.self, CopyEpisodesTask.self, RepeatCopyTask.self, AssociativeRecallTask.self, PrioritySortTask.self,
                                           ParityTask.self, LogicTask.self, LogicGatesTask.self, TranslationTask.self, BabiTask.self,
                                           TransductionTask<SymbolCopy>.self, TransductionTask<Reversal>.self,
                                           TransductionTask<BigramFlip>.self, TransductionTask<Sorting>.self, SVOToSOVTask.self, Dyck2Task.self, TableQATask.self])

    /// What `arnn` opens with no arguments, and the model `arnn train` makes without `--model`.
    public static let defaultDemo = "ntm-copy"
    public static let defaultModel = "ntm"

    /// The models and tasks, for the layers below the screen.
    public static let catalog = ModelCatalog(models: entries.map(\.model), tasks: tasks, defaultDemo: defaultDemo)

    /// The task `kind` is benchmarked and tested on by default.
    public static func defaultTask(_ kind: String) -> String {
        entries.first { $0.model.kind == kind }?.defaultTask ?? "copy"
    }

    /// The bench goals of `kind` (none for an unknown kind).
    public static func benchTargets(_ kind: String) -> BenchTargets {
        entries.first { $0.model.kind == kind }?.bench ?? BenchTargets()
    }

    /// The scene of `kind`; throws naming the known kinds.
    public static func scene(_ kind: String) throws -> SceneEntry {
        guard let entry = entries.first(where: { $0.model.kind == kind }) else {
            throw ArnnError("no scene for model '\(kind)'; known: \(entries.map(\.model.kind).joined(separator: ", "))")
        }
        return entry.scene
    }
}

extension Registry {
    /// The viewer's first state for `models` (one, or two to compare) on the example of `length` drawn from
    /// `seed`, and what runs the next examples. Each model gets its registered scene.
    /// - Throws: `ArnnError` when a length is invalid, models are on different tasks, or a kind has no scene.
    public static func viewer(_ models: [(name: String, learner: any Learner)], task: TaskConfig, length: Int,
                              seed: UInt64) throws -> (ViewerState, ViewerEffects) {
        let effects = ViewerEffects(learners: models.map(\.learner), task: task)
        // Compared models step together: `episodes` refuses outputs of different lengths.
        let episodes = try effects.episodes(length: length, seed: seed)
        let shown = try zip(models, episodes).map { model, episode in
            ShownModel(name: model.name, episode: episode, scene: try scene(model.learner.kind).make(episode))
        }
        var state = ViewerState(models: shown, task: task, length: length, seed: seed)
        state.variants = models[0].learner.variants
        state.liveSettings = models[0].learner.liveSettings
        return (state, effects)
    }

    /// The viewer for loaded demos or checkpoints, on the first one's task, length and seed (overridable).
    /// - Throws: `ArnnError` when the second model was trained on another task.
    public static func viewer(_ loaded: [LoadedModel], length: Int? = nil, seed: UInt64? = nil) throws
        -> (ViewerState, ViewerEffects) {
        let first = loaded[0]
        for other in loaded.dropFirst() where other.task.name != first.task.name
            || (other.task.bits?.inputWidth, other.task.bits?.outputWidth) != (first.task.bits?.inputWidth, first.task.bits?.outputWidth) {
            throw ArnnError("--compare needs two models on the same task: \(first.name) is on \(first.task.name), "
                            + "\(other.name) on \(other.task.name)")
        }
        var (state, effects) = try viewer(loaded.map { ($0.name, $0.learner) }, task: first.task,
                                          length: length ?? first.defaultLength, seed: seed ?? first.defaultSeed)
        for (i, model) in loaded.enumerated() {
            guard let snapshots = model.snapshots, let position = model.snapshotPosition else { continue }
            let metric = model.learner.metrics[0]
            state.setTimeline(TrainingTimeline(sequences: snapshots.moments.map(\.sequences), losses: snapshots.moments.map(\.loss),
                                               position: position, run: snapshots.run, lossName: metric.short,
                                               lossUnit: metric.unit), for: i)
            effects.snapshotFiles[i] = snapshots.moments.map(\.path)
        }
        return (state, effects)
    }
}

/// A bAbI question is what a memory network reads: its sentences' and question's word ids.
extension BabiSample: StoryInput {}

/// A table question is what the Neural Programmer reads: its words without the numbers, the numbers with
/// the words before each, and the table's cells and column names as ids.
extension TableQASample: TableQuestionInput {
    static let numberId = TableQAVocabulary.id(TableQAVocabulary.numberToken)
    public var wordIds: [Int] { questionIds.filter { $0 != Self.numberId } }
    public var numberValues: [Double] { numbers.map(\.value) }
    public var numberContexts: [Int] { numbers.map { n in questionIds[..<n.position].filter { $0 != Self.numberId }.count } }
    public var cells: [[Double]] { table.rows }
    public var columnNameIds: [Int] { table.columns.map(TableQAVocabulary.id) }
}
