/// A JSON object: members in document order with fast key lookup.
///
/// Member names are code-point sequences (`CodePointKey`): "\u{212A}ind" and "Kind" are two
/// members. Equality and hashing ignore member order, as JSON (and JSON Schema's `enum`/`const`) does.
public struct JSONObject: Hashable, Sendable, Sequence {
    /// One member.
    public typealias Element = (key: String, value: JSONValue)

    /// Objects up to this size are searched linearly; larger ones get a key index.
    private static let indexThreshold = 12

    private(set) var keyList: [String]
    private(set) var valueList: [JSONValue]
    private var index: [CodePointKey: Int]?

    /// An empty object.
    public init() {
        keyList = []
        valueList = []
    }

    /// An object from members in order; a repeated key keeps its first position and last value.
    public init(_ pairs: [(String, JSONValue)]) {
        self.init()
        keyList.reserveCapacity(pairs.count)
        valueList.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    /// An object from parallel arrays whose keys are known to be distinct.
    init(uniqueKeys: [String], values: [JSONValue]) {
        keyList = uniqueKeys
        valueList = values
        rebuildIndex()
    }

    /// The member names in order.
    public var keys: [String] { keyList }

    /// The member values in order.
    public var values: [JSONValue] { valueList }

    /// The number of members.
    public var count: Int { keyList.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { keyList.isEmpty }

    /// The position of `key`, if present.
    @inline(__always)
    func position(of key: String) -> Int? {
        if let index { return index[CodePointKey(key)] }
        for i in keyList.indices where CodePointKey.equal(keyList[i], key) { return i }
        return nil
    }

    /// The position of `key`, searching from `start` first and then wrapping around: callers
    /// looking up names in the object's own order pay about one comparison per name.
    @inline(__always)
    func position(of key: String, from start: Int) -> Int? {
        let count = keyList.count
        return keyList.withUnsafeBufferPointer { keys in
            // The expected position first, even where a hashed index exists (no hashing then).
            if start < count, CodePointKey.equal(keys[start], key) { return start }
            if let index { return index[CodePointKey(key)] }
            var i = start < count ? start : 0
            for _ in 0..<count {
                if CodePointKey.equal(keys[i], key) { return i }
                i = i + 1 == count ? 0 : i + 1
            }
            return nil
        }
    }

    /// The value of member `key`; setting nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { valueList[$0] } }
        set {
            if let i = position(of: key) {
                if let newValue {
                    valueList[i] = newValue
                } else {
                    keyList.remove(at: i)
                    valueList.remove(at: i)
                    rebuildIndex()
                }
            } else if let newValue {
                _ = appendNew(key, newValue)
            }
        }
    }

    /// Appends a member whose key is not present yet; false (and no change) for a duplicate key.
    mutating func appendNew(_ key: String, _ value: JSONValue) -> Bool {
        if index == nil, keyList.count < Self.indexThreshold {
            for existing in keyList where CodePointKey.equal(existing, key) { return false }
        } else {
            if index == nil { rebuildIndex(force: true) }
            guard index!.updateValue(keyList.count, forKey: CodePointKey(key)) == nil else { return false }
        }
        keyList.append(key)
        valueList.append(value)
        return true
    }

    private mutating func rebuildIndex(force: Bool = false) {
        guard force || keyList.count > Self.indexThreshold else { index = nil; return }
        var built = [CodePointKey: Int](minimumCapacity: keyList.count)
        for (i, key) in keyList.enumerated() { built[CodePointKey(key)] = i }
        index = built
    }

    /// Member-wise equality regardless of order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.keyList.elementsEqual(rhs.keyList, by: CodePointKey.equal) { return lhs.valueList == rhs.valueList }
        for (key, value) in lhs {
            guard let other = rhs[key], other == value else { return false }
        }
        return true
    }

    /// Order-independent hash.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for i in keyList.indices {
            var member = Hasher()
            member.combine(CodePointKey(keyList[i]))
            member.combine(valueList[i])
            combined &+= member.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }

    /// Iterates members in order.
    public func makeIterator() -> Iterator { Iterator(object: self) }

    /// Iterator over members in order.
    public struct Iterator: IteratorProtocol {
        let object: JSONObject
        var position = 0

        /// The next member.
        public mutating func next() -> Element? {
            guard position < object.keyList.count else { return nil }
            defer { position += 1 }
            return (object.keyList[position], object.valueList[position])
        }
    }
}
