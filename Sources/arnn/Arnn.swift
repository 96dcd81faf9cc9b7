import ArgumentParser
import Engine
import Tasks

/// The `arnn` command line: parsing and wiring only; the work is done by the library targets.
@main
struct Arnn: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "arnn",
        abstract: "Watch memory-augmented and attention-based recurrent networks think, in the terminal.",
        discussion: """
            arnn trains memory-augmented and attention-based networks (Neural Turing Machines and their LSTM \
            baseline, the Differentiable Neural Computer, Adaptive Computation Time, an attention \
            encoder-decoder) with its own engine and shows, one timestep at a time, what happens inside them: \
            memory, read and write attention, allocation and links, ponder steps, gates and states, and where a \
            translating decoder looks for each word. 'arnn models' lists the models, tasks and demos.
            """,
        version: version,
        subcommands: [View.self, Render.self, Record.self, Train.self, Eval.self, Trace.self, Bench.self, Models.self, Translate.self, Ask.self],
        defaultSubcommand: View.self
    )

    /// Runs the command line; user errors print one line on stderr and exit with code 2.
    static func main() {
        Allocator.keepFreedBlocks()
        // `arnn help NAME` for a NAME that is no command would print the main help and succeed.
        var arguments = joiningNegativeNumbers(Array(CommandLine.arguments.dropFirst()))
        // `arnn help models` lists what `arnn models` lists (the fields and demos), not only its usage.
        if arguments == ["help", "models"] { arguments = ["models"] }
        if arguments.first == "help", arguments.count > 1 {
            let names = configuration.subcommands.map { $0._commandName }
            if !names.contains(arguments[1]) {
                let near = NameSuggestion.closest(to: arguments[1], among: names).map { "; did you mean '\($0)'?" }
                printError("no command '\(arguments[1])'\(near ?? " (commands: \(names.joined(separator: ", ")))")")
                terminate(code: 2)
            }
        }
        // A mistyped command (`arnn trian --model ntm …`) would otherwise be read as a demo for `view` and
        // fail on the first option `view` does not take.
        if let first = arguments.first, !first.hasPrefix("-"), first != "help",
           let message = ViewerSourceOptions.unknownName(first) {
            printError(message)
            terminate(code: 2)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            reportPeakMemoryIfAsked()
        } catch let error as ArnnError {
            printError(error.message)
            terminate(code: 2)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help and --version.
                print(fullMessage(for: error))
                terminate(code: 0)
            }
            if code == .failure || code == .validationFailure {
                // Argument errors: the message, then how to get help, as one line each.
                let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                printError(message.contains("arnn --help") ? message : message + " (see 'arnn --help')")
                terminate(code: 2)
            }
            terminate(code: code.rawValue)
        }
    }

    mutating func run() throws {
        print(Arnn.helpMessage())
    }

    /// The arguments with each negative number joined to the option before it (`--lr -1` → `--lr=-1`).
    /// The parser reads a lone `-1` as another option and says the value is missing; joined, the option's
    /// own check says what is wrong with it ("--lr must be a positive number, got -1.0").
    static func joiningNegativeNumbers(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for argument in arguments {
            if let last = out.last, last.hasPrefix("--"), last != "--", !last.contains("="), isNegativeNumber(argument) {
                out[out.count - 1] = last + "=" + argument
            } else {
                out.append(argument)
            }
        }
        return out
    }

    /// `-1`, `-0.5`, `-.5`, `-1e-3`, or a list starting with one (`-1,2` for `--lengths`).
    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.hasPrefix("-"), text.count > 1 else { return false }
        let first = text.dropFirst().first!
        return first.isNumber || (first == "." && text.dropFirst(2).first?.isNumber == true)
    }
}
