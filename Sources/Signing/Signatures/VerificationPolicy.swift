import Foundation
import HTTPTypes

/// What a signature must cover and state before Rabt accepts it (DESIGN.md, exchange step 3).
public struct VerificationPolicy: Sendable, Hashable {
    /// How far `created` may lie from now, either way; also how long a nonce must be remembered.
    public var clockSkew: Duration
    /// Whether `created` is required.
    public var requiresCreated: Bool
    /// Whether `alg` is required (it must match the key's algorithm whenever present).
    public var requiresAlgorithm: Bool
    /// Whether `nonce` is required.
    public var requiresNonce: Bool
    /// Whether `@method` plus `@target-uri` (or all of `@authority @path @query`) must be covered.
    public var requiresTargetCoverage: Bool
    /// Whether `content-digest` must be covered (and match) when the message has a body.
    public var requiresContentDigestForBody: Bool
    /// Fields that must be covered whenever the message carries them.
    public var fieldsCoveredWhenPresent: [HTTPField.Name]
    /// Components that must always be covered.
    public var requiredComponents: [ComponentIdentifier]
    /// The longest `nonce` and `keyid` accepted, in characters: a nonce is remembered until it
    /// expires, so its length is memory a sender could otherwise fill.
    public var maxParameterLength: Int
    /// Labels the sender may not use: `rabt` names Rabt's own signatures, which an
    /// intermediary adds beside the sender's and a receiver tells apart by label.
    public var reservedLabels: Set<String>

    /// Creates a policy; the defaults are Rabt's rules for exchange requests. `keyid` is always required.
    public init(
        clockSkew: Duration = .seconds(300),
        requiresCreated: Bool = true,
        requiresAlgorithm: Bool = true,
        requiresNonce: Bool = true,
        requiresTargetCoverage: Bool = true,
        requiresContentDigestForBody: Bool = true,
        fieldsCoveredWhenPresent: [HTTPField.Name] = [HTTPField.Name("Idempotency-Key")!],
        requiredComponents: [ComponentIdentifier] = [],
        reservedLabels: Set<String> = [],
        maxParameterLength: Int = 256
    ) {
        self.maxParameterLength = maxParameterLength
        self.reservedLabels = reservedLabels
        self.clockSkew = clockSkew
        self.requiresCreated = requiresCreated
        self.requiresAlgorithm = requiresAlgorithm
        self.requiresNonce = requiresNonce
        self.requiresTargetCoverage = requiresTargetCoverage
        self.requiresContentDigestForBody = requiresContentDigestForBody
        self.fieldsCoveredWhenPresent = fieldsCoveredWhenPresent
        self.requiredComponents = requiredComponents
    }

    /// Rabt's policy for consumer requests.
    public static let exchangeRequest = VerificationPolicy(reservedLabels: ["rabt"])

    /// This policy with another clock skew.
    public func withClockSkew(_ skew: Duration) -> VerificationPolicy {
        var policy = self
        policy.clockSkew = skew
        return policy
    }

    /// Checks coverage; returns the first shortfall as a sentence, or nil.
    func missingCoverage(_ covered: [ComponentIdentifier], message: SignableMessage, hasBody: Bool) -> String? {
        func covers(_ component: ComponentIdentifier) -> Bool {
            covered.contains { $0.satisfies(component) }
        }
        if self.requiresTargetCoverage {
            if !covers(.method) {
                return "signature does not cover @method"
            }
            let parts: [ComponentIdentifier] = [.authority, .path, .query]
            if !covers(.targetURI) && !parts.allSatisfy(covers) {
                let missing = parts.filter { !covers($0) }.map(\.name).joined(separator: " ")
                return "signature does not cover @target-uri (or \(missing))"
            }
        }
        if self.requiresContentDigestForBody && hasBody && !covers(.field("content-digest")) {
            return "signature does not cover content-digest"
        }
        for name in self.fieldsCoveredWhenPresent where message.fields.contains(name) {
            if !covers(.field(name.canonicalName)) {
                return "signature does not cover \(name.canonicalName)"
            }
        }
        for component in self.requiredComponents where !covers(component) {
            return "signature does not cover \(component)"
        }
        return nil
    }
}
