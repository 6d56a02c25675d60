extension Array where Element: Hashable {
    /// The union of `self` (the old list) and `newer`, in document order: `newer`'s order, with each
    /// element only in `self` placed where it stood, before the elements added in the same gap.
    ///
    /// Used wherever a diff lists added and removed members, so removals appear where they stood.
    func mergedInOrder(with newer: [Element]) -> [Element] {
        let newSet = Set(newer)
        var oldPositions: [Element: Int] = [:]
        for (position, element) in enumerated() where oldPositions[element] == nil {
            oldPositions[element] = position
        }
        var merged: [Element] = []
        merged.reserveCapacity(Swift.max(count, newer.count))
        var next = 0  // the first old element not yet placed
        func flushOldOnly(through end: Int) {
            while next <= end {
                if !newSet.contains(self[next]) { merged.append(self[next]) }
                next += 1
            }
        }
        for element in newer {
            if let position = oldPositions[element] {
                flushOldOnly(through: position)
            } else {
                // Like a diff hunk: in the gap before the next shared element, removals come first.
                while next < count, !newSet.contains(self[next]) {
                    merged.append(self[next])
                    next += 1
                }
            }
            merged.append(element)
        }
        flushOldOnly(through: count - 1)
        return merged
    }
}
