import Foundation
import Testing
import Episodes
import Registry
import Visualiser

/// Whole screens of the NTM scene compared with stored plain text. Set ARNN_UPDATE_GOLDEN=1 to rewrite the
/// files, then review the diff.
@Suite("Viewer golden screens")
struct ViewerGoldenTests {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")

    func check(_ screen: Screen, _ name: String) throws {
        let url = Self.goldenDirectory.appendingPathComponent(name + ".txt")
        let text = screen.plainText() + "\n"
        if ProcessInfo.processInfo.environment["ARNN_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text == expected, "screen \(name) differs from its golden file; ARNN_UPDATE_GOLDEN=1 rewrites it")
    }

    func state(at step: Int, width: Int, height: Int) -> ViewerState {
        var s = ViewerFixture.state(width: width, height: height)
        s.go(to: step)
        return s
    }

    @Test func compactScreenAt80x24MidAnswer() throws {
        let s = state(at: 8, width: 80, height: 24)
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "ntm-80x24-step9")
    }

    @Test func richScreenAt160x48MidAnswer() throws {
        let s = state(at: 8, width: 160, height: 48)
        try check(Viewer.view(s, width: 160, height: 48, mode: .none), "ntm-160x48-step9")
    }

    @Test func writeDiffWithCursorAt160x48() throws {
        var s = state(at: 3, width: 160, height: 48)
        s = ViewerFixture.run(s, [.key(.char("w")), .key(.up), .key(.right)]).0
        try check(Viewer.view(s, width: 160, height: 48, mode: .none), "ntm-160x48-step4-diff-cursor")
    }

    @Test func helpOverlayAt80x24ListsEveryKey() throws {
        var s = state(at: 0, width: 80, height: 24)
        s.helpOpen = true
        let screen = Viewer.view(s, width: 80, height: 24, mode: .none)
        try check(screen, "ntm-80x24-help")
        let text = screen.plainText()
        for binding in ViewerKeys.main.bindings where !s.unavailableActions.contains(binding.action) {
            #expect(text.contains(binding.keysLabel), "help lacks \(binding.keysLabel)")
        }
        for binding in NTMScene.keys.bindings {
            #expect(binding.keys.allSatisfy { text.contains($0.description) }, "help lacks \(binding.keysLabel)")
        }
    }

    @Test func editorAt80x24() throws {
        var s = state(at: 0, width: 80, height: 24)
        s = ViewerFixture.run(s, [.key(.char("e")), .key(.down), .key(.char(" "))]).0
        try check(Viewer.view(s, width: 80, height: 24, mode: .none), "ntm-80x24-editor")
    }

    @Test func tooSmallSaysWhatItNeeds() {
        let s = state(at: 0, width: 40, height: 10)
        let text = Viewer.view(s, width: 40, height: 10, mode: .truecolor).plainText()
        #expect(text.contains("needs 80×24, now 40×10"))
    }

    @Test func shippedDemoAt120x40IfPresent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("demos/ntm-copy").path
        guard FileManager.default.fileExists(atPath: root + "/demo.json") else { return }
        let model = try LoadedModel.load(root, catalog: Registry.catalog)
        var s = try Registry.viewer([model], length: 12, seed: 3).0
        s.go(to: 17)
        try check(Viewer.view(s, width: 120, height: 40, mode: .none), "ntm-copy-demo-120x40-step18")
    }

    /// Every demo in `demos/` (read from the folder, so a new demo cannot ship without its goldens) at
    /// the four sizes, three quarters into its episode.
    @Test(arguments: NTMScreenTests.shippedDemos())
    func everyShippedDemoAtEverySize(_ name: String) throws {
        for (width, height) in NTMScreenTests.sizes {
            let s = try NTMScreenTests.demo(name, width: width, height: height)
            try check(Viewer.view(s, width: width, height: height, mode: .none), "\(name)-\(width)x\(height)")
        }
    }

    @Test func theDemoFolderHoldsTheDemos() {
        let shipped = NTMScreenTests.shippedDemos()
        #expect(shipped.contains("ntm-copy") && shipped.count >= 10, "demos found: \(shipped)")
    }

    @Test func everyColourModeDrawsTheSameCharactersOutsideHeatmaps() {
        let s = state(at: 5, width: 100, height: 30)
        let truecolor = Viewer.view(s, width: 100, height: 30, mode: .truecolor)
        let c8 = Viewer.view(s, width: 100, height: 30, mode: .c8)
        #expect(truecolor.plainText() == c8.plainText())
        #expect(truecolor.ansiText(mode: .truecolor).contains("38;2;"))
        #expect(!c8.ansiText(mode: .c8).contains("38;5;"))
    }
}
