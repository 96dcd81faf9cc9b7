import Engine

/// The words of bAbI's tasks 1, 2, 3 and 6 (docs/tasks/babi.md, section 2).
public enum BabiWords {
    public static let actors = ["mary", "john", "sandra", "daniel"]
    public static let locations = ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"]
    public static let objects = ["football", "apple", "milk"]
    /// `A V to the L.`: the five forms are drawn with equal chances.
    public static let moves = [["went"], ["journeyed"], ["travelled"], ["moved"], ["went", "back"]]
    /// `A V the O [there].`
    public static let gets = [["got"], ["grabbed"], ["picked", "up"], ["took"]]
    public static let drops = [["dropped"], ["discarded"], ["left"], ["put", "down"]]
    /// qa15's animals (singular, plural) and names.
    public static let species = [("mouse", "mice"), ("sheep", "sheep"), ("wolf", "wolves"), ("cat", "cats")]
    public static let names = ["gertrude", "winona", "emily", "jessica"]
}

/// One line of a generated story: a statement, or a question with its answer and the statements that
/// support it (as indices of statements in the story, in bAbI's order, not sorted).
public enum BabiLine: Equatable, Sendable {
    case statement([String])
    case question([String], answer: String, supporting: [Int])
}

/// The simulated world of bAbI's tasks 1, 2, 3 and 6 (docs/tasks/babi.md, section 3), and what a reader
/// of the story so far can know of it: each actor's place and the statement that told it, each object's
/// holder or resting place and the statements behind it, and the places each object was carried through.
struct BabiWorld {
    /// Per actor: its location (nil until a move states it) and the statement of that move.
    var actorPlace: [Int?] = Array(repeating: nil, count: BabiWords.actors.count)
    var actorMove: [Int?] = Array(repeating: nil, count: BabiWords.actors.count)
    /// Per object: its holder, or where it lies (nil: unknown), and its latest get or drop statement.
    var holder: [Int?] = Array(repeating: nil, count: BabiWords.objects.count)
    var lying: [Int?] = Array(repeating: nil, count: BabiWords.objects.count)
    var lastTouch: [Int?] = Array(repeating: nil, count: BabiWords.objects.count)
    /// For a dropped object: the move that put its dropper where it now lies.
    var lyingMove: [Int?] = Array(repeating: nil, count: BabiWords.objects.count)
    /// Per object: the places its holder carried it into since getting it, in order, each with the move
    /// that took it there (qa3's history: the files never ask about a place it was got or left in).
    var history: [[(place: Int, move: Int)]] = Array(repeating: [], count: BabiWords.objects.count)
    /// Actors named so far (qa6 asks about one of them).
    var mentioned: Set<Int> = []
    var statements = 0

    /// Whether object `o` was got or dropped in the last five statements: the only objects bAbI's qa2 and
    /// qa3 files ask about (docs/tasks/babi.md, 4.2 and 4.3).
    func touchedLately(_ o: Int) -> Bool {
        guard let touch = lastTouch[o] else { return false }
        return statements - touch <= 5
    }

    /// Where the reader knows object `o` to be, and the statements that say so (its latest get or drop
    /// first, then the move that gives the place), or nil.
    func objectPlace(_ o: Int) -> (place: Int, support: [Int])? {
        guard let touch = lastTouch[o] else { return nil }
        if let a = holder[o] {
            guard let place = actorPlace[a], let move = actorMove[a] else { return nil }
            return (place, [touch, move])
        }
        guard let place = lying[o], let move = lyingMove[o] else { return nil }
        return (place, [touch, move])
    }

    /// A move, get or drop that the world allows, drawn as bAbI's generator draws (section 3): an object
    /// sentence with probability `objectShare` when one is possible, else a move; returns its words.
    mutating func act(rng: inout SeededRNG, objectShare: Float) -> [String] {
        let index = statements
        statements += 1
        if rng.bernoulli(objectShare), let words = objectAction(rng: &rng, index: index) { return words }
        let a = rng.int(below: BabiWords.actors.count)
        var to = rng.int(below: BabiWords.locations.count - 1)
        if let here = actorPlace[a], to >= here { to += 1 }       // never to the place it is in
        actorPlace[a] = to
        actorMove[a] = index
        mentioned.insert(a)
        for o in BabiWords.objects.indices where holder[o] == a {
            history[o].append((to, index))
        }
        let verb = BabiWords.moves[rng.int(below: BabiWords.moves.count)]
        return [BabiWords.actors[a]] + verb + ["to", "the", BabiWords.locations[to]]
    }

    /// A get (of an object nobody holds, lying where the actor is or where nobody knows) or a drop (of an
    /// object the actor holds), or nil when no actor can do either.
    mutating func objectAction(rng: inout SeededRNG, index: Int) -> [String]? {
        var choices: [(actor: Int, object: Int, get: Bool)] = []
        for a in BabiWords.actors.indices {
            for o in BabiWords.objects.indices {
                if holder[o] == a {
                    choices.append((a, o, false))
                } else if holder[o] == nil && (lying[o] == nil || lying[o] == actorPlace[a]) {
                    // An object whose place is unknown can only be one where the actor is (or may be).
                    if lying[o] == nil && lastTouch[o] != nil && actorPlace[a] != nil { continue }
                    choices.append((a, o, true))
                }
            }
        }
        guard !choices.isEmpty else { return nil }
        let (a, o, get) = choices[rng.int(below: choices.count)]
        mentioned.insert(a)
        lastTouch[o] = index
        let there = rng.bernoulli(0.5) ? ["there"] : []
        if get {
            holder[o] = a
            lying[o] = nil
            lyingMove[o] = nil
            history[o] = []
            let verb = BabiWords.gets[rng.int(below: BabiWords.gets.count)]
            return [BabiWords.actors[a]] + verb + ["the", BabiWords.objects[o]] + there
        }
        holder[o] = nil
        lying[o] = actorPlace[a]
        lyingMove[o] = actorMove[a]
        let verb = BabiWords.drops[rng.int(below: BabiWords.drops.count)]
        return [BabiWords.actors[a]] + verb + ["the", BabiWords.objects[o]] + there
    }
}
