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
        // `arnn help NAME` for a NAME that is no command would print the main help and succeed.
        let arguments = Array(CommandLine.arguments.dropFirst())
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
            var command = try parseAsRoot()
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
                printError(message + " (see 'arnn --help')")
                terminate(code: 2)
            }
            terminate(code: code.rawValue)
        }
    }

    mutating func run() throws {
        print(Arnn.helpMessage())
    }
}
