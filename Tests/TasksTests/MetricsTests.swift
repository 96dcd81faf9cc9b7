import Engine
import Foundation
import Testing
import Tasks

@Suite struct MetricsTests {
    let example: Example = {
        var rng = SeededRNG(seed: 5)
        return CopyTask().example(rng: &rng, length: 5)
    }()

    @Test func perfectOutputsHaveNoWrongBits() {
        let s = Metrics.score(outputs: example.targets, example: example)
        #expect(s.wrongBits == 0 && s.isPerfect && s.scoredBits == 40)
    }

    @Test func oneFlippedAnswerBitIsOneWrongBit() {
        var outputs = example.targets
        outputs[8, 2] = 1 - outputs[8, 2]
        #expect(Metrics.wrongBits(outputs: outputs, targets: example.targets, mask: example.mask) == 1)
        #expect(!Metrics.isPerfect(outputs: outputs, targets: example.targets, mask: example.mask))
    }

    @Test func unscoredStepsNeverCount() {
        var outputs = example.targets
        for c in 0..<8 { outputs[0, c] = 1; outputs[5, c] = 1 }
        #expect(Metrics.score(outputs: outputs, example: example) == Metrics.score(outputs: example.targets, example: example))
    }

    @Test func thresholdingAtOneHalfCountsOneHalfAsOne() {
        let ones = Tensor(shape: [1, 2], data: [1, 1])
        let outputs = Tensor(shape: [1, 2], data: [0.5, 0.4999])
        #expect(Metrics.wrongBits(outputs: outputs, targets: ones, mask: [true]) == 1, "only 0.4999 is wrong")
        let logits = Tensor(shape: [1, 2], data: [0, -0.001])
        #expect(Metrics.wrongBits(outputs: logits, targets: ones, mask: [true], kind: .logits) == 1)
    }

    @Test func aCoinFlipCostsExactlyOneBitPerScoredBit() {
        let half = Tensor(shape: example.targets.shape, repeating: 0.5)
        #expect(Metrics.bceBits(outputs: half, targets: example.targets, mask: example.mask) == 40)
        let zeroLogits = Tensor(shape: example.targets.shape, repeating: 0)
        let fromLogits = Metrics.bceBits(outputs: zeroLogits, targets: example.targets, mask: example.mask, kind: .logits)
        #expect(abs(fromLogits - 40) < 1e-9)
    }

    @Test func certainAndWrongIsLargeButFinite() {
        #expect(Metrics.bceBits(probability: 0, target: 1) == 100 / M_LN2)
        #expect(Metrics.bceBits(probability: 1, target: 1) == 0)
        #expect(Metrics.bceBits(logit: 1000, target: 0) == 1000 / M_LN2)
        #expect(Metrics.bceBits(logit: -1000, target: 0) == 0)
        #expect(Metrics.bceBits(logit: -1000, target: 1).isFinite)
    }

    @Test func logitsAndProbabilitiesAgree() {
        for x: Float in [-6, -2.5, -0.3, 0, 0.7, 3, 8] {
            let p = 1 / (1 + exp(-x))
            for y: Float in [0, 1] {
                let a = Metrics.bceBits(logit: x, target: y), b = Metrics.bceBits(probability: p, target: y)
                #expect(abs(a - b) <= 1e-5 * max(1, a), "x=\(x) y=\(y): \(a) vs \(b)")
            }
        }
    }

    @Test func aNaNOutputGivesANaNLoss() {
        #expect(Metrics.bceBits(probability: .nan, target: 1).isNaN)
        #expect(Metrics.bceBits(logit: .nan, target: 1).isNaN)
    }

    @Test func aSummaryAveragesPerSequence() {
        var summary = MetricsSummary([
            SequenceScore(wrongBits: 0, scoredBits: 40, bceBits: 1),
            SequenceScore(wrongBits: 3, scoredBits: 40, bceBits: 2),
        ])
        summary.merge(MetricsSummary([SequenceScore(wrongBits: 0, scoredBits: 80, bceBits: 6),
                                      SequenceScore(wrongBits: 1, scoredBits: 8, bceBits: 3)]))
        #expect(summary.sequences == 4)
        #expect(summary.meanWrongBits == 1)
        #expect(summary.perfectShare == 0.5)
        #expect(summary.meanBCEBits == 3)
        #expect(summary.totalScoredBits == 168)
    }

    @Test func anEmptySummaryReportsZeros() {
        let s = MetricsSummary()
        #expect(s.meanWrongBits == 0 && s.perfectShare == 0 && s.meanBCEBits == 0)
    }

    @Test func aSummaryEncodesItsMeansForJSONOutputAndDecodesBack() throws {
        let summary = MetricsSummary([SequenceScore(wrongBits: 2, scoredBits: 8, bceBits: 1.5),
                                      SequenceScore(wrongBits: 0, scoredBits: 8, bceBits: 0.5)])
        let json = try JSONEncoder().encode(summary)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["meanWrongBits"] as? Double == 1)
        #expect(object?["perfectShare"] as? Double == 0.5)
        #expect(object?["meanBCEBits"] as? Double == 1)
        #expect(object?["sequences"] as? Int == 2)
        #expect(try JSONDecoder().decode(MetricsSummary.self, from: json) == summary)
    }
}
