import Models
import Episodes
import Tasks

/// Which part of the NTM scene the keys and the cursor act on. `tab` walks through them in this order.
public enum ViewerFocus: Hashable, Sendable, CaseIterable {
    /// The memory matrix: the cursor picks a (row, column) cell.
    case memory
    /// The weighting history (time × N) of the selected head: the cursor picks a row, the step is the column.
    case history
    /// The addressing pipeline of the selected head: the cursor picks a memory row and shows every stage.
    case pipeline

    public var title: String {
        switch self {
        case .memory: "memory"
        case .history: "history"
        case .pipeline: "addressing"
        }
    }
}

/// The input-bit editor opened with `e`: a copy of the example's bits and a cursor over them.
public struct BitEditor: Hashable, Sendable {
    /// `rows[i][b]`: bit b of the i-th input vector.
    public var rows: [[Bool]]
    public var row: Int = 0
    public var bit: Int = 0

    public init(rows: [[Bool]]) {
        precondition(!rows.isEmpty && !rows[0].isEmpty, "the editor needs at least one bit")
        self.rows = rows
    }

    public var width: Int { rows[0].count }
}

/// Everything the viewer shows besides the episode's own data: the model of the Elm-shaped app. `update`
/// turns it and an event into the next state; `NTMScene.view` turns it into a `Screen`.
public struct ViewerState: Sendable {
    /// The run being shown, every step precomputed so any step is reached in O(1).
    public private(set) var episode: Episode
    /// Colour ranges over the whole episode, computed once per episode so scrubbing keeps colours stable.
    public private(set) var stats: EpisodeStats
    /// What the title bar calls the model (`ntm-copy`).
    public var title: String
    /// The task the examples come from (its training length range is shown next to the current length).
    public var task: TaskConfig
    /// Length and seed of the current example (`[`/`]` change the length, `n` the seed).
    public var length: Int
    public var seed: UInt64
    /// True when the example came from the bit editor rather than the seed.
    public var edited = false

    public private(set) var step = 0
    public var playing = false
    /// Index into `ViewerState.speeds`.
    public var speedIndex = ViewerState.defaultSpeedIndex
    public var focus: ViewerFocus = .memory
    /// The head whose history and pipeline are shown (read heads first, then the write head).
    public var selectedHead: Int
    /// Show memoryAfter − memoryBefore instead of memoryAfter.
    public var writeDiff = false
    /// The cursor in the focused panel: a memory row (0..<N) and, for the memory matrix, a column (0..<M).
    /// nil hides it, and the memory window then follows the write head.
    public var cursorRow: Int?
    public var cursorColumn = 0
    public var helpOpen = false
    /// The bit editor while editing (`e`), nil otherwise.
    public var editor: BitEditor?
    /// A one-line note for the user (an error, or what an action did); cleared by the next key.
    public var message: String?
    /// The terminal size `update` lays out for (mouse hit-testing); `view` is given its own size.
    public var width = 80
    public var height = 24

    /// Play speeds in steps per second.
    public static let speeds: [Double] = [1, 2, 3, 5, 8, 12, 20, 30, 60]
    public static let defaultSpeedIndex = 3

    public init(episode: Episode, title: String, task: TaskConfig, length: Int, seed: UInt64) {
        precondition(episode.count > 0, "an episode has at least one step")
        self.episode = episode
        self.stats = EpisodeStats(episode)
        self.title = title
        self.task = task
        self.length = length
        self.seed = seed
        self.selectedHead = Swift.max(0, episode[0].ntm.heads.count - 1)
    }

    public var frame: Frame { episode[step] }
    public var lastStep: Int { episode.count - 1 }
    public var speed: Double { Self.speeds[speedIndex] }
    /// Milliseconds between steps while playing.
    public var tickMilliseconds: Int { Int((1000 / speed).rounded()) }
    public var headCount: Int { frame.ntm.heads.count }
    public var memoryRows: Int { frame.ntm.memoryAfter.shape[0] }
    public var memoryColumns: Int { frame.ntm.memoryAfter.shape[1] }

    /// Moves to `step`, clamped to the episode.
    public mutating func go(to target: Int) {
        step = Swift.max(0, Swift.min(lastStep, target))
    }

    /// Replaces the episode (a new example, or edited input), keeping the step when it still exists.
    public mutating func replaceEpisode(_ newEpisode: Episode) {
        precondition(newEpisode.count > 0, "an episode has at least one step")
        episode = newEpisode
        stats = EpisodeStats(newEpisode)
        step = Swift.min(step, lastStep)
        selectedHead = Swift.min(selectedHead, headCount - 1)
        if let row = cursorRow { cursorRow = Swift.min(row, memoryRows - 1) }
    }

    /// The name of head `index`: `read 1`, `read 2`, …, `write`.
    public func headName(_ index: Int) -> String {
        let heads = frame.ntm.heads
        guard index < heads.count else { return "head \(index)" }
        if heads[index].isWrite { return "write" }
        return heads.filter { !$0.isWrite }.count > 1 ? "read \(index + 1)" : "read"
    }
}

extension Frame {
    /// The NTM snapshot of this frame (the only model the viewer shows so far).
    public var ntm: NTMSnapshot {
        switch snapshot {
        case .ntm(let s): s
        }
    }
}
