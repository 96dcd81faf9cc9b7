import Engine
import Foundation

/// One question of a bAbI-style story as a model reads it: the story's statements and the question as
/// word ids of `BabiTask.vocabulary`, and the answer as an id of `BabiTask.answers`.
public struct BabiSample: AnswerSample, StorySample, CategorisedSample, MeasuredSample, Equatable {
    public var story: StoryQuestion
    public var sentenceIds: [[Int]]
    public var questionIds: [Int]
    public var answer: Answer?

    /// The bAbI task it belongs to (`qa3`): evaluation reports each under `byCategory`.
    public var categories: [String] { [story.task] }
    /// The number of statements the story told before the question.
    public var ownLength: Int { story.sentences.count }
}

/// bAbI-style question answering (issue 19; docs/tasks/babi.md): stories of tasks 1, 2, 3, 6 and 15 made
/// by `BabiGenerator`. A task's training set is a fixed set of `trainingStories` stories per task, as
/// bAbI's 10k set has 2,000 (2,500 for qa15); held-out stories come from the same generator, after them,
/// and one whose text equals a training story's would be skipped. `length` is the bAbI task number
/// (1, 2, 3, 6, 15): `arnn eval --lengths 1,2,3,6,15` scores each task, and a sample with no length asked
/// for draws its task uniformly from `tasks`.
public struct BabiTask: AnswerTask, TextInputTask, FileDataTask, Equatable {
    public static let name = "babi"
    public static let lengthName = "task"
    public static let summary = "bAbI-style stories and questions (tasks 1, 2, 3, 6, 15): answer with one word"
    public static let defaults = BabiTask()

    public enum Split: String, Codable, Sendable, CaseIterable { case train, heldOut }

    /// The bAbI task numbers drawn from.
    public var tasks: [Int]
    /// Stories per task in the training set (2,000: bAbI's 10k set; qa15 gets 25 % more, as bAbI's).
    public var trainingStories: Int
    public var split: Split
    /// Seeds the training set and the held-out stories.
    public var storySeed: UInt64
    /// A folder of bAbI's own files (`--data DIR`): training draws from the tasks' `qaN_*_train.txt`
    /// questions and evaluation scores every question of their `qaN_*_test.txt`, instead of generated
    /// stories. Nil: generated stories.
    public var dataDirectory: String?

    public init(tasks: [Int] = [1, 2, 3, 6, 15], trainingStories: Int = 2000, split: Split = .train, storySeed: UInt64 = 19) {
        self.tasks = tasks
        self.trainingStories = trainingStories
        self.split = split
        self.storySeed = storySeed
    }

    public static let knownTasks = [1, 2, 3, 6, 15]

    public var lengthRange: ClosedRange<Int> { (tasks.min() ?? 1)...(tasks.max() ?? 1) }

    public func withLengthRange(_ range: ClosedRange<Int>) throws -> BabiTask {
        var t = self
        t.tasks = Self.knownTasks.filter { range.contains($0) }
        try t.validate()
        return t
    }

    public func validate() throws {
        guard !tasks.isEmpty else { throw ArnnError("babi: tasks must name at least one of 1, 2, 3, 6, 15") }
        for t in tasks { try validate(length: t) }
        try Check.atLeast(trainingStories, 1, field: "trainingStories", task: Self.name)
        // bAbI's files: each task's training and test file, read (and checked) once.
        if let dataDirectory {
            for t in tasks {
                for s in Split.allCases { _ = try BabiData.shared.questions(in: dataDirectory, task: t, split: s) }
            }
        }
    }

    /// The tasks whose files `directory` holds, of those asked for; each needs its training and its test
    /// file. Throws when it holds none, or a file is missing or malformed.
    public func withData(directory: String) throws -> BabiTask {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw ArnnError.file(directory, "is not a folder")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let held = Set(names.compactMap { name in name.hasSuffix("_train.txt") || name.hasSuffix("_test.txt") ? BabiFile.task(ofFile: name) : nil })
        var t = self
        t.dataDirectory = directory
        t.tasks = tasks.filter { held.contains("qa\($0)") }
        guard !t.tasks.isEmpty else {
            throw ArnnError.file(directory, "holds no bAbI file of tasks \(tasks.map(String.init).joined(separator: ", ")) (qaN_*_train.txt, qaN_*_test.txt)")
        }
        try t.validate()
        return t
    }

    /// Every question of task `length`'s test file, in order, when reading bAbI's files.
    public func evaluationSet(length: Int) -> [BabiSample]? {
        guard let dataDirectory, let questions = try? BabiData.shared.questions(in: dataDirectory, task: length, split: .heldOut) else {
            return nil
        }
        return questions.map(encode)
    }

    public func validate(length: Int) throws {
        guard Self.knownTasks.contains(length) else {
            throw ArnnError("babi: task \(length) is not generated; the tasks are 1, 2, 3, 6 and 15")
        }
    }

    public func forEvaluation() -> BabiTask {
        var t = self
        t.split = .heldOut
        return t
    }

    public var evaluationLengths: [Int] { tasks }

    // MARK: Drawing samples

    /// The story `index` of task `number`: the same on every run and machine.
    func story(_ number: Int, index: Int) -> [BabiLine] {
        var rng = SeededRNG(seed: storySeed ^ (UInt64(number) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        return BabiGenerator.story("qa\(number)", rng: &rng)
    }

    func trainingStoryCount(_ number: Int) -> Int { number == 15 ? trainingStories * 5 / 4 : trainingStories }

    public func sample(rng: inout SeededRNG, length: Int?) -> BabiSample {
        let number = length ?? tasks[rng.int(below: tasks.count)]
        precondition(Self.knownTasks.contains(number), "babi: no task \(number); validate first")
        if let dataDirectory {
            guard let questions = try? BabiData.shared.questions(in: dataDirectory, task: number, split: split), !questions.isEmpty else {
                preconditionFailure("babi: no questions of qa\(number) in \(dataDirectory); validate first")
            }
            return encode(questions[rng.int(below: questions.count)])
        }
        let count = trainingStoryCount(number)
        var lines: [BabiLine]
        switch split {
        case .train:
            lines = story(number, index: rng.int(below: count))
        case .heldOut:
            // Stories after the training set's; one that repeats a training story's text is drawn again
            // (only qa15's short stories could).
            repeat {
                lines = story(number, index: count + rng.int(below: 1 << 30))
            } while number == 15 && isTrainingText(lines, number: number)
        }
        let questions = BabiGenerator.questions(lines, task: "qa\(number)")
        return encode(questions[rng.int(below: questions.count)])
    }

    /// Whether a qa15 story's text is one of the training set's (their 2,500 texts, made once).
    func isTrainingText(_ lines: [BabiLine], number: Int) -> Bool {
        BabiTrainingTexts.shared.contains(BabiGenerator.text(lines), task: self, number: number)
    }

    // MARK: Words

    /// Every word of the five tasks and every answer (`yes` and `no` too, so a model that ties its answer
    /// weights to its word embeddings has a row for each), sorted, after `<pad>` 0 and `<unk>` 1.
    public static let vocabulary: [String] = {
        var words = Set(BabiWords.actors + BabiWords.locations + BabiWords.objects + BabiWords.names)
        for v in BabiWords.moves + BabiWords.gets + BabiWords.drops { words.formUnion(v) }
        for (one, many) in BabiWords.species { words.formUnion([one, many]) }
        words.formUnion(["to", "the", "there", "where", "is", "was", "before", "in", "what", "afraid", "of", "are", "a",
                         "yes", "no"])
        return ["<pad>", "<unk>"] + words.sorted()
    }()
    static let index: [String: Int] = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })

    /// The answers, by id: the six places, yes and no, the four animals.
    public static let answers: [String] = BabiWords.locations + ["yes", "no"] + BabiWords.species.map(\.0)
    public var answerWords: [String] { Self.answers }

    public func encode(_ q: StoryQuestion) -> BabiSample {
        let ids = { (words: [String]) in words.map { Self.index[$0] ?? 1 } }
        return BabiSample(story: q, sentenceIds: q.sentences.map(ids), questionIds: ids(q.question),
                          answer: q.answerWord.flatMap { Self.answers.firstIndex(of: $0) }.map(Answer.word))
    }

    // MARK: Typed stories

    /// A typed story and question: sentences ending in `.`, then one ending in `?` (e.g. "Mary moved to the
    /// bathroom. John went to the hallway. Where is Mary?"). One-line errors name an unknown word and the
    /// closest known one, an empty story, a missing question, or a question of no task's form.
    public func sample(text: String) throws -> BabiSample {
        var sentences: [[String]] = []
        var question: [String]?
        var current = ""
        for c in text {
            if c == "." || c == "?" {
                let words = StoryQuestion.words(current)
                current = ""
                guard !words.isEmpty else { continue }
                if question != nil { throw ArnnError("the question must come last (\"… Where is Mary?\")") }
                if c == "?" { question = words } else { sentences.append(words) }
            } else {
                current.append(c)
            }
        }
        if !StoryQuestion.words(current).isEmpty {
            throw ArnnError("end the story's sentences with \".\" and the question with \"?\"")
        }
        guard !sentences.isEmpty else { throw ArnnError("the story is empty: type sentences, then a question (\"Mary moved to the bathroom. Where is Mary?\")") }
        guard let question else { throw ArnnError("no question: end with one such as \"Where is Mary?\"") }
        for word in sentences.joined() + question where Self.index[word] == nil {
            let near = NameSuggestion.closest(to: word, among: Array(Self.vocabulary.dropFirst(2))).map { " (closest known word: \"\($0)\")" } ?? ""
            throw ArnnError("unknown word \"\(word)\"\(near)")
        }
        guard let task = Self.form(of: question) else {
            throw ArnnError("no task asks \"\(question.joined(separator: " "))?\"; ask \"Where is Mary?\", \"Where is the milk?\", "
                            + "\"Where was the milk before the office?\", \"Is Mary in the office?\" or \"What is Gertrude afraid of?\"")
        }
        return encode(StoryQuestion(sentences: sentences, question: question, answerWord: nil, supporting: [], task: task))
    }

    /// Which task asks a question of this form, or nil.
    static func form(of q: [String]) -> String? {
        let actors = Set(BabiWords.actors), objects = Set(BabiWords.objects), places = Set(BabiWords.locations)
        switch q.count {
        case 3 where q[0] == "where" && q[1] == "is" && actors.contains(q[2]): return "qa1"
        case 4 where q[0] == "where" && q[1] == "is" && q[2] == "the" && objects.contains(q[3]): return "qa2"
        case 7 where q[0] == "where" && q[1] == "was" && q[2] == "the" && objects.contains(q[3]) && q[4] == "before"
            && q[5] == "the" && places.contains(q[6]): return "qa3"
        case 5 where q[0] == "is" && actors.contains(q[1]) && q[2] == "in" && q[3] == "the" && places.contains(q[4]): return "qa6"
        case 5 where q[0] == "what" && q[1] == "is" && BabiWords.names.contains(q[2]) && q[3] == "afraid" && q[4] == "of": return "qa15"
        default: return nil
        }
    }

    public func unknownWords(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "." || $0 == "?" || $0 == "\n" })
            .map { $0.lowercased() }.filter { Self.index[$0] == nil }
    }
}

/// The training texts of qa15 stories, made once per configuration, so held-out stories can avoid them.
final class BabiTrainingTexts: @unchecked Sendable {
    static let shared = BabiTrainingTexts()
    private let lock = NSLock()
    private var texts: [String: Set<String>] = [:]

    func contains(_ text: String, task: BabiTask, number: Int) -> Bool {
        let key = "\(task.storySeed)/\(task.trainingStories)/\(number)"
        lock.lock()
        defer { lock.unlock() }
        if texts[key] == nil {
            texts[key] = Set((0..<task.trainingStoryCount(number)).map { BabiGenerator.text(task.story(number, index: $0)) })
        }
        return texts[key]!.contains(text)
    }
}

/// bAbI's own files, read once per folder, task and split.
final class BabiData: @unchecked Sendable {
    static let shared = BabiData()
    private let lock = NSLock()
    private var loaded: [String: [StoryQuestion]] = [:]

    /// The questions of `qa<task>_*_train.txt` (training) or `_test.txt` (held out) in `directory`.
    func questions(in directory: String, task: Int, split: BabiTask.Split) throws -> [StoryQuestion] {
        let suffix = split == .train ? "_train.txt" : "_test.txt"
        let key = "\(directory)\u{0}\(task)\(suffix)"
        lock.lock()
        defer { lock.unlock() }
        if let known = loaded[key] { return known }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let files = names.filter { $0.hasSuffix(suffix) && BabiFile.task(ofFile: $0) == "qa\(task)" }.sorted()
        guard let file = files.first else { throw ArnnError.file(directory, "has no qa\(task)_*\(suffix)") }
        guard files.count == 1 else { throw ArnnError.file(directory, "has \(files.count) files for qa\(task)\(suffix): \(files.joined(separator: ", "))") }
        let questions = try BabiFile.load(path: (directory as NSString).appendingPathComponent(file), task: "qa\(task)")
        guard !questions.isEmpty else { throw ArnnError.file(file, "holds no question") }
        loaded[key] = questions
        return questions
    }
}
