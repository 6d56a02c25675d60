extension CodePointSet {
    /// The code points of a `\p{…}` property, from the Swift runtime's Unicode tables; nil for
    /// what they do not hold: scripts, Emoji_Component and Extended_Pictographic.
    init?(property: UnicodeProperty) {
        let categoryName: String?
        switch (property.name, property.value) {
        case (let name, nil): categoryName = UnicodePropertyNames.generalCategories[name] != nil ? name : nil
        case ("General_Category", let value?), ("gc", let value?): categoryName = value
        default: return nil
        }
        if let categoryName, let categories = UnicodePropertyNames.generalCategories[categoryName] {
            self = categories.reduce(CodePointSet([])) { $0.union(Self.generalCategories[$1] ?? CodePointSet([])) }
        } else if let test = UnicodePropertyNames.binaryTest(property.name) {
            self = CodePointSet(scalarsWhere: test)
        } else {
            return nil
        }
    }

    /// The code points of each general category, read once from the Swift runtime's tables (one
    /// pass over every code point, the first time a pattern names a category).
    private static let generalCategories: [Unicode.GeneralCategory: CodePointSet] = {
        var ranges: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = [.surrogate: [0xD800...0xDFFF]]
        var run: (category: Unicode.GeneralCategory, range: ClosedRange<UInt32>)?
        for value in UInt32(0)...maximum {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let category = scalar.properties.generalCategory
            if let current = run, current.category == category, current.range.upperBound + 1 == value {
                run = (category, current.range.lowerBound...value)
                continue
            }
            if let current = run { ranges[current.category, default: []].append(current.range) }
            run = (category, value...value)
        }
        if let current = run { ranges[current.category, default: []].append(current.range) }
        return ranges.mapValues { CodePointSet($0) }
    }()
}
