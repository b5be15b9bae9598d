extension StyledText {
    /// The tree of a `formattedText`, for example one from a received message.
    ///
    /// Entities that nest become nested elements; one that partly overlaps another is split at the
    /// other's edge. Entities outside the text or of zero length are ignored. For properly nested
    /// entities, ``textWithEntities()`` gives the same `formattedText` back.
    public init(_ formatted: TextWithEntities) {
        let units = Array(formatted.text.utf16)
        // Among ties TDLib lists inner entities first, so the last of a tie encloses the others.
        let entities = formatted.entities.enumerated().compactMap { index, entity -> (Int, Entity)? in
            let start = max(0, entity.offset)
            let end = min(units.count, entity.range.upperBound)
            guard start < end else { return nil }
            return (index, Entity(entity.kind, offset: start, length: end - start))
        }
        .sorted { lhs, rhs in
            Entity.tdlibOrder(lhs.1, rhs.1) || (!Entity.tdlibOrder(rhs.1, lhs.1) && lhs.0 > rhs.0)
        }
        .map(\.1)
        if entities.isEmpty {
            self.init(formatted.text)
            return
        }
        self.init(nodes: Self.build(units, 0, units.count, entities))
    }

    private static func string(_ units: [UInt16], _ range: Range<Int>) -> String {
        String(decoding: units[range], as: UTF16.self)
    }

    /// The nodes of `lower..<upper`; `entities` lie inside it, in TDLib's order.
    private static func build(_ units: [UInt16], _ lower: Int, _ upper: Int, _ entities: [Entity]) -> [Node] {
        var nodes: [Node] = []
        var position = lower
        var rest = entities
        var start = 0
        while start < rest.count {
            let entity = rest[start]
            start += 1
            if entity.offset > position {
                nodes.append(.text(string(units, position..<entity.offset)))
            }
            let end = entity.offset + entity.length
            // The entities that start inside this one are next (sorted by offset); one that goes on
            // past its end is split there.
            var inner: [Entity] = []
            var remainders: [Entity] = []
            var next = start
            while next < rest.count, rest[next].offset < end {
                let other = rest[next]
                if other.offset + other.length <= end {
                    inner.append(other)
                } else {
                    inner.append(Entity(other.kind, offset: other.offset, length: end - other.offset))
                    remainders.append(Entity(other.kind, offset: end, length: other.offset + other.length - end))
                }
                next += 1
            }
            nodes.append(.entity(entity.kind, build(units, entity.offset, end, inner)))
            position = end
            if remainders.isEmpty {
                start = next
            } else {
                // Stable, so ties keep their order.
                rest = (remainders + rest[next...]).sorted(by: Entity.tdlibOrder)
                start = 0
            }
        }
        if position < upper {
            nodes.append(.text(string(units, position..<upper)))
        }
        return nodes
    }
}
