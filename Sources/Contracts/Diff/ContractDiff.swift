/// What changed between two versions of a contract: the `x-exchange` settings, the operations, and
/// every structural difference of the two OpenAPI documents.
///
/// Encoded as JSON (for `rabt contract diff --output json`) with the members `from`, `to`,
/// `exchange`, `operations`, `changes` and `breaking`; optional members are left out when absent.
///
/// Operations are matched by method and path template, so renaming a path parameter reads as one
/// operation removed and another added. Two documents with no entry in `changes` are equal (member
/// order aside; numbers by value), and then every other list is empty too.
///
/// `breaking` lists why a consumer written against the old version might fail against the new one.
/// It follows four rules and nothing else, so an empty list is not a promise of compatibility:
/// 1. an operation is removed;
/// 2. the request body schema of an operation both versions have, for a media type both accept,
///    requires a property it did not:
///    a name is added to a `required` list, counting the lists of the schema's `$ref` target and
///    `allOf` members, at the same place in both versions (properties, items, additional and
///    unevaluated properties and items, `contains`, `prefixItems`, `anyOf`, `oneOf`, `then` and
///    `else` are followed in step; a `required` inside a branch counts even if another branch would
///    still accept the request);
/// 3. a response status (`404`, `2XX`, `default`) of an operation both versions have is removed;
/// 4. a consumer is removed from `x-exchange.consumers`.
public struct ContractDiff: Sendable, Codable, Equatable {
    /// `provider/service/vN` of the old contract (`from`).
    public var from: String
    /// `provider/service/vN` of the new contract (`to`).
    public var to: String
    /// Changed `x-exchange` settings, compared after defaults apply (`exchange`).
    public var exchange: [SettingChange]
    /// Added, removed and changed operations in document order (`operations`).
    public var operations: [OperationChange]
    /// Every structural difference of the two documents in document order (`changes`).
    public var changes: [Change]
    /// Plain-English reasons the new version may break a consumer of the old one (`breaking`).
    public var breaking: [String]

    /// Whether the two documents are equal.
    public var isEmpty: Bool { changes.isEmpty }

    /// Compares `old` with `new`.
    public init(from old: Contract, to new: Contract) {
        from = old.exchange.id
        to = new.exchange.id
        exchange = SettingChange.changes(from: old.exchange, to: new.exchange)
        changes = JSONDiff.changes(from: old.document, to: new.document)
        let comparison = OperationComparison(old: old, new: new)
        operations = comparison.changes()
        breaking = old.exchange.consumers.filter { !new.exchange.consumers.contains($0) }
            .map { "consumer removed: \($0)" }
            + comparison.breakingReasons()
    }

    /// Whether a member, operation or value was added, removed or changed.
    public enum Kind: String, Sendable, Codable, Equatable, CaseIterable {
        /// Only in the new version.
        case added
        /// Only in the old version.
        case removed
        /// In both, different.
        case changed
    }

    /// One changed `x-exchange` setting.
    ///
    /// Each consumer added or removed is an entry of its own with setting `consumers`, holding the
    /// agency id as `new` (added) or `old` (removed).
    public struct SettingChange: Sendable, Codable, Equatable {
        /// The setting's path in `x-exchange`, dotted: `timeout`, `retry.attempts`, `audit.body`, `consumers` (`setting`).
        public var setting: String
        /// `added` or `removed` for a consumer, `changed` for any other setting (`kind`).
        public var kind: Kind
        /// The old value as written in a contract, e.g. `5s`; absent for an added consumer (`old`).
        public var old: String?
        /// The new value, e.g. `10s`; absent for a removed consumer (`new`).
        public var new: String?

        /// Makes a setting change; its kind follows from which of `old` and `new` are given.
        public init(setting: String, old: String?, new: String?) {
            self.setting = setting
            self.old = old
            self.new = new
            switch (old, new) {
            case (nil, _): kind = .added
            case (_, nil): kind = .removed
            default: kind = .changed
            }
        }
    }

    /// An operation added, removed or changed.
    public struct OperationChange: Sendable, Codable, Equatable {
        /// A part of an operation that can change.
        public enum Part: String, Sendable, Codable, Equatable, CaseIterable {
            /// A parameter added, removed or changed (path-level parameters included).
            case parameters
            /// The request body added or removed, or its `required`, media types or examples changed.
            case requestBody
            /// The schema of a media type both request bodies accept.
            case requestBodySchema
            /// A response status added, removed or changed.
            case responses
            /// Anything else of the operation or its path item: summary, description, tags, security, servers…
            case other
        }

        /// `added`, `removed` or `changed` (`kind`).
        public var kind: Kind
        /// `METHOD /template`, e.g. `POST /certificates` (`name`).
        public var name: String
        /// The `operationId`, the new version's when both have one (`operationId`).
        public var operationId: String?
        /// For a changed operation, what changed, in the order of `Part` (`parts`); empty otherwise.
        public var parts: [Part]
        /// For changed parameters, which ones, each as `location name`, e.g. `query limit` (`parameters`).
        public var parameters: NamedChanges?
        /// For changed responses, which statuses (`responses`).
        public var responses: NamedChanges?

        /// Makes an operation change.
        public init(kind: Kind, name: String, operationId: String?, parts: [Part] = [],
                    parameters: NamedChanges? = nil, responses: NamedChanges? = nil) {
            self.kind = kind
            self.name = name
            self.operationId = operationId
            self.parts = parts
            self.parameters = parameters
            self.responses = responses
        }
    }

    /// Names of members added, removed and changed, each list in document order.
    public struct NamedChanges: Sendable, Codable, Equatable {
        /// Only in the new version (`added`).
        public var added: [String]
        /// Only in the old version (`removed`).
        public var removed: [String]
        /// In both, different (`changed`).
        public var changed: [String]

        /// Makes a set of named changes.
        public init(added: [String] = [], removed: [String] = [], changed: [String] = []) {
            self.added = added
            self.removed = removed
            self.changed = changed
        }

        /// Whether nothing was added, removed or changed.
        public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
    }

    /// One structural difference between the documents.
    ///
    /// Objects compare member by member (order does not count), arrays element by element at the
    /// same index, numbers by value; where two values differ in type or are unequal scalars, the
    /// value itself is the change.
    public struct Change: Sendable, Codable, Equatable {
        /// Longest `old`/`new` text in characters, the ellipsis included.
        public static let excerptLimit = 120

        /// RFC 6901 pointer of the value in the documents, e.g. `/paths/~1items~1{id}/get` (`pointer`).
        public var pointer: String
        /// `added`, `removed` or `changed` (`kind`).
        public var kind: Kind
        /// The old value as compact JSON, cut to `excerptLimit` characters ending in `…` (`old`).
        public var old: String?
        /// The new value as compact JSON, cut likewise (`new`).
        public var new: String?

        /// Makes a change.
        public init(pointer: String, kind: Kind, old: String?, new: String?) {
            self.pointer = pointer
            self.kind = kind
            self.old = old
            self.new = new
        }
    }
}
