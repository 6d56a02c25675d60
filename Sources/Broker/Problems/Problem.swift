import Audit
import Foundation
import HTTPTypes
import Hummingbird

/// An answer Rabt itself produces instead of the provider's: RFC 9457 problem details.
public struct Problem: Error, Sendable, CustomStringConvertible {
    /// One failing location of a validation problem.
    public struct Violation: Codable, Sendable, Hashable {
        /// JSON pointer into the request or response, e.g. `/body/applicant/nationalId`.
        public var pointer: String
        /// The JSON Schema keyword that failed, e.g. `pattern`.
        public var keyword: String
        /// Where the keyword sits in the contract's schema.
        public var keywordLocation: String?
        /// A readable explanation.
        public var message: String

        public init(pointer: String, keyword: String, keywordLocation: String? = nil, message: String) {
            self.pointer = pointer
            self.keyword = keyword
            self.keywordLocation = keywordLocation
            self.message = message
        }
    }

    /// The stable cause.
    public var type: ProblemType
    /// What happened in this occurrence, in words (never a payload or a key).
    public var detail: String
    /// The exchange this answer belongs to, when one was assigned.
    public var exchangeId: String?
    /// Validation failures, for `request-invalid` and `response-invalid`.
    public var violations: [Violation]
    /// Seconds a client should wait before trying again (`Retry-After`).
    public var retryAfter: Int?
    /// Methods the matched path allows (`Allow`), for `method-not-allowed`.
    public var allow: [String]
    /// What caused this problem, kept for logs; never rendered.
    public var underlying: (any Error)?

    init(
        _ type: ProblemType,
        _ detail: String,
        violations: [Violation] = [],
        retryAfter: Int? = nil,
        allow: [String] = [],
        underlying: (any Error)? = nil
    ) {
        self.type = type
        self.detail = detail
        self.exchangeId = nil
        self.violations = violations
        self.retryAfter = retryAfter
        self.allow = allow
        self.underlying = underlying
    }

    public var description: String { "\(type.name): \(detail)" }

    /// The problem document as it goes on the wire.
    struct Document: Codable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var exchangeId: String?
        var errors: [Violation]?
    }

    var document: Document {
        Document(
            type: type.uri,
            title: type.title,
            status: Int(type.status.code),
            detail: detail,
            exchangeId: exchangeId,
            errors: violations.isEmpty ? nil : violations
        )
    }

    /// Renders the problem as an `application/problem+json` response marked with `Exchange-Error`.
    func response() -> Response {
        Response(status: type.status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The problem document's bytes.
    var body: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(document)).map(Array.init) ?? []
    }

    /// The answer's header fields: `Content-Type`, `Exchange-Error`, and `Exchange-Id`,
    /// `Retry-After` and `Allow` where they apply.
    var fields: HTTPFields {
        var fields: HTTPFields = [
            .contentType: "application/problem+json",
            .exchangeError: type.name,
        ]
        if let exchangeId { fields[.exchangeId] = exchangeId }
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        if !allow.isEmpty { fields[.allow] = allow.joined(separator: ", ") }
        return fields
    }
}


extension AuditEvent {
    /// The `request.rejected` entry of a refusal: its status, problem type and detail, who was
    /// refused (when known) and `METHOD target` (when the request got that far).
    init(rejection problem: Problem, actor: String?, target: String?) {
        self.init(
            kind: .requestRejected, status: Int(problem.type.status.code), problemType: problem.type.name,
            actor: actor, target: target, detail: problem.detail
        )
    }
}
