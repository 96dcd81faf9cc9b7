extension NTMScene {
    /// For the training watch: memory with the heads' weightings, and every head's weightings over time,
    /// as the viewer draws them. The history gets wider steps than the viewer's: there is no pipeline panel.
    public func drawOverview(_ context: SceneContext, into screen: inout Screen, mode: ColorMode) {
        let v = NTMView(self, context)
        var layout = NTMLayout(kind: context.kind)
        let area = context.rect
        let cellWidth = context.kind == .rich && v.memoryColumns * 2 + 8 + v.headCount <= area.width * 2 / 5 ? 2 : 1
        let parts = area.split(.horizontal, [.length(layout.memoryPanelWidth(v, cellWidth: cellWidth)), .fill(1)],
                               spacing: 1)
        layout.placeMemory(in: parts[0], state: v, cellWidth: cellWidth)
        layout.placeHistory(in: parts[1], state: v, heads: Array(0..<v.headCount), maxStepWidth: 4)
        Self.drawMemory(v, layout, mode, &screen)
        Self.drawHistory(v, layout, mode, &screen)
    }

    public func drawOverviewLegends(_ context: SceneContext, into screen: inout Screen, rect: Rect, mode: ColorMode) {
        let halves = rect.split(.horizontal, [.fill(1), .fill(1)], spacing: 2)
        Legend(title: " memory", scale: Self.signedScale, range: stats.memory, mode: mode, decimals: 2)
            .render(into: &screen, rect: halves[0])
        Legend(title: "weight", scale: Self.weightScale, range: Self.unitRange, mode: mode, decimals: 0)
            .render(into: &screen, rect: halves[1])
    }
}
