/// `sum by (…) (rate(selector[range]))`, `count by (…) (selector)` and their kin in one pass over the store.
///
/// The shapes every burn rate, detector and first look at a body ask: an aggregation `by` labels
/// over a plain selector, or over `rate`, `increase` or `delta` of one. Evaluated in steps they
/// build a label array per series (and for the rate a second one without the name) and a key per
/// series; here a series is keyed by the interned ids of its grouping labels' values, and labels
/// are built once per group. The answer is the same, bit for bit: the same series in the same
/// order folded the same way, and the same error when two series differ only in their name.
extension Evaluator {
    /// The aggregation `op` by `grouping` of the counter function `name` over `vs[range]` at `t`.
    ///
    /// - Parameters:
    ///   - op: an aggregation without a parameter (not `topk`, `bottomk`, `quantile`, `count_values`).
    ///   - name: `rate`, `increase` or `delta`.
    /// - Throws: "vector cannot contain metrics with the same labelset" when series of different
    ///   names have the same labels otherwise, as the two-step evaluation does.
    /// - Complexity: O(series selected × (labels per series + grouping labels)) plus the spans.
    func groupedCounterFunction(_ op: AggregateOp, _ name: String, _ vs: VectorSelector, range: Int64,
                                grouping: [String], at t: Int64) throws -> [EvalSample] {
        // The rate drops the metric name, so grouping by it groups by nothing.
        var counted: [Int] = []
        var oneName = true
        let result = groupedByLabelIDs(op, Set(grouping).subtracting(["__name__"]).sorted(), at: t) { body in
            oneName = forEachCounterValue(name, vs, range: range, at: t) { id, v in
                counted.append(id)
                body(id, v)
            }
        }
        if !oneName { try checkUniqueWithoutName(counted, metricNameID: store.strings.lookup("__name__")) }
        return result
    }

    /// The aggregation `op` by `grouping` of the plain selector `vs` at `t` (no label set per series is built).
    ///
    /// - Parameter op: an aggregation without a parameter (not `topk`, `bottomk`, `quantile`, `count_values`).
    /// - Complexity: O(series selected × (labels per series + grouping labels)).
    func groupedSelector(_ op: AggregateOp, _ vs: VectorSelector, grouping: [String], at t: Int64) -> [EvalSample] {
        groupedByLabelIDs(op, Set(grouping).sorted(), at: t) { body in
            forEachInstantValue(vs, at: t) { id, _, v in body(id, v) }
        }
    }

    /// Folds the values that `forEachValue` hands on into groups keyed by the ids of the values of
    /// the labels `names` (sorted), in the order the groups first appear.
    private func groupedByLabelIDs(_ op: AggregateOp, _ names: [String], at t: Int64,
                                   _ forEachValue: (_ body: (_ id: Int, _ value: Double) -> Void) -> Void) -> [EvalSample] {
        let nameIDs = names.map { store.strings.lookup($0) }
        let absent = UInt32.max
        var key = [UInt32](repeating: absent, count: names.count)
        var index: [[UInt32]: Int] = [:]
        var groups: [Group] = []
        forEachValue { id, v in
            let ids = store.labelIDs(of: id)
            for k in names.indices { key[k] = SeriesStore.value(of: nameIDs[k], in: ids) ?? absent }
            let sample = EvalSample(labels: [], t: t, v: v)
            if let g = index[key] {
                Self.fold(sample, into: &groups[g], op)
            } else {
                var labels: LabelArray = []
                for k in names.indices where key[k] != absent { labels.append(Label(names[k], store.strings[key[k]])) }
                index[key] = groups.count
                groups.append(Self.group(labels, first: sample, op, keepingSamples: false))
            }
        }
        return groups.map { EvalSample(labels: $0.labels, t: t, v: Self.result(of: $0, op)) }
    }

    /// Throws when two of the series `ids` have the same labels but for their metric name.
    private func checkUniqueWithoutName(_ ids: [Int], metricNameID: UInt32?) throws {
        var seen = Set<[UInt32]>()
        seen.reserveCapacity(ids.count)
        for id in ids {
            var rest = Array(store.labelIDs(of: id))
            if let n = metricNameID, let i = stride(from: 0, to: rest.count, by: 2).first(where: { rest[$0] == n }) {
                rest.removeSubrange(i..<(i + 2))
            }
            if !seen.insert(rest).inserted { throw queryError("vector cannot contain metrics with the same labelset") }
        }
    }
}
