import JSONSchema

extension LoadContext {
    private static let exchangeKeys: Set<String> = [
        "provider", "service", "version", "consumers", "timeout", "retry", "async", "idempotency", "audit",
        "responseValidation", "formatAssertion", "undeclaredQuery",
    ]

    /// Reads the `x-exchange` block; nil (with faults reported) when it is unusable.
    mutating func readExchange(_ value: JSONValue?) -> Contract.Exchange? {
        let at = "/x-exchange"
        guard let block = object(value, at: at, required: true, code: .exchange) else { return nil }
        checkKeys(block, at: at, allowed: Self.exchangeKeys, extensions: false, code: .exchange)

        let provider = identifier(block["provider"], at: at + "/provider", what: "an agency id")
        let service = identifier(block["service"], at: at + "/service", what: "a service name")
        let version = integer(block["version"], at: at + "/version", range: 1...1_000_000, required: true)
        var exchange = Contract.Exchange(provider: provider ?? "", service: service ?? "", version: version ?? 1)

        if let consumers = block["consumers"] {
            exchange.consumers = readConsumers(consumers, at: at + "/consumers")
        }
        if let timeout = duration(block["timeout"], at: at + "/timeout") { exchange.timeout = timeout }
        if let retry = object(block["retry"], at: at + "/retry", required: false, code: .exchange) {
            exchange.retry = readRetry(retry, at: at + "/retry")
        }
        if let async = object(block["async"], at: at + "/async", required: false, code: .exchange) {
            checkKeys(async, at: at + "/async", allowed: ["retryFor", "initialBackoff", "maxBackoff", "callback"],
                      extensions: false, code: .exchange)
            if let retryFor = duration(async["retryFor"], at: at + "/async/retryFor") {
                exchange.asyncRetryFor = retryFor
            }
            readBackoff(async, at: at + "/async", initial: &exchange.asyncInitialBackoff, maximum: &exchange.asyncMaxBackoff)
            if let callback = async["callback"] {
                if case .string(let path) = callback, path.hasPrefix("/"), !path.contains("?"),
                   let target = try? RequestTarget(path), target.path == path {
                    exchange.asyncCallbackPath = path
                } else {
                    report(.exchange, at + "/async/callback", "must be a canonical path on the consumer's endpoint, starting with '/' (no query, fragment or dot segment)")
                }
            }
        }
        if let idempotency = object(block["idempotency"], at: at + "/idempotency", required: false, code: .exchange) {
            checkKeys(idempotency, at: at + "/idempotency", allowed: ["window"], extensions: false, code: .exchange)
            if let window = duration(idempotency["window"], at: at + "/idempotency/window") {
                exchange.idempotencyWindow = window
            }
        }
        if let audit = object(block["audit"], at: at + "/audit", required: false, code: .exchange) {
            checkKeys(audit, at: at + "/audit", allowed: ["body"], extensions: false, code: .exchange)
            if let body = choice(audit["body"], at: at + "/audit/body", of: Contract.Exchange.AuditBody.self) {
                exchange.auditBody = body
            }
        }
        if let mode = choice(block["responseValidation"], at: at + "/responseValidation",
                             of: Contract.Exchange.ResponseValidation.self) {
            exchange.responseValidation = mode
        }
        if let mode = choice(block["undeclaredQuery"], at: at + "/undeclaredQuery",
                             of: Contract.Exchange.UndeclaredQuery.self) {
            exchange.undeclaredQuery = mode
        }
        exchange.formatAssertion = bool(block["formatAssertion"], at: at + "/formatAssertion",
                                        default: true, code: .exchange)
        guard provider != nil, service != nil, version != nil else { return nil }
        return exchange
    }

    private mutating func readConsumers(_ value: JSONValue, at pointer: String) -> [String] {
        guard case .array(let items) = value else {
            report(.exchange, pointer, "must be a list of agency ids")
            return []
        }
        var consumers: [String] = []
        for (index, item) in items.enumerated() {
            let itemPointer = JSONPointer.appending(pointer, index)
            guard let id = identifier(item, at: itemPointer, what: "an agency id") else { continue }
            if consumers.contains(id) {
                report(.exchange, itemPointer, "agency '\(id)' is listed twice")
            } else {
                consumers.append(id)
            }
        }
        return consumers
    }

    private mutating func readRetry(_ retry: JSONObject, at pointer: String) -> Contract.Exchange.Retry {
        checkKeys(retry, at: pointer, allowed: ["attempts", "initialBackoff", "maxBackoff"], extensions: false,
                  code: .exchange)
        var result = Contract.Exchange.Retry()
        if let attempts = integer(retry["attempts"], at: pointer + "/attempts", range: 1...100, required: false) {
            result.attempts = attempts
        }
        readBackoff(retry, at: pointer, initial: &result.initialBackoff, maximum: &result.maxBackoff)
        return result
    }

    /// `initialBackoff` and `maxBackoff` of a retry schedule (`retry` or `async`), kept at their
    /// defaults when absent; the ceiling may not be below the first wait.
    private mutating func readBackoff(
        _ block: JSONObject, at pointer: String, initial: inout Duration, maximum: inout Duration
    ) {
        if let value = duration(block["initialBackoff"], at: pointer + "/initialBackoff") { initial = value }
        if let value = duration(block["maxBackoff"], at: pointer + "/maxBackoff") { maximum = value }
        if maximum < initial {
            report(.exchange, pointer + "/maxBackoff", "must not be shorter than initialBackoff")
        }
    }

    /// Lower-case letters, digits and `-`, starting with a letter, at most 63 characters.
    private mutating func identifier(_ value: JSONValue?, at pointer: String, what: String) -> String? {
        guard let text = string(value, at: pointer, required: true, code: .exchange) else { return nil }
        let valid = text.count <= 63 && text.first.map { $0.isASCII && $0.isLowercase } == true
            && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && !text.hasSuffix("-")
        guard valid else {
            report(.exchange, pointer, "'\(text)' is not \(what) (lower-case letters, digits and '-', starting with a letter)")
            return nil
        }
        return text
    }

    private mutating func integer(_ value: JSONValue?, at pointer: String, range: ClosedRange<Int>,
                                  required: Bool) -> Int? {
        guard let value else {
            if required { report(.exchange, pointer, "required member is missing") }
            return nil
        }
        guard case .number(let number) = value, let exact = number.int64Value, range.contains(Int(exact)) else {
            report(.exchange, pointer, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(exact)
    }

    private mutating func duration(_ value: JSONValue?, at pointer: String) -> Duration? {
        guard let value else { return nil }
        guard case .string(let text) = value, let duration = DurationText.parse(text) else {
            let shown = value.stringValue.map { "'\($0)'" } ?? value.typeName
            report(.exchange, pointer, "\(shown) is not a duration such as 100ms, 5s, 2m or 24h")
            return nil
        }
        guard duration > .zero else {
            report(.exchange, pointer, "must be longer than zero")
            return nil
        }
        return duration
    }

    private mutating func choice<T: RawRepresentable & CaseIterable>(
        _ value: JSONValue?, at pointer: String, of type: T.Type
    ) -> T? where T.RawValue == String {
        guard let value else { return nil }
        guard case .string(let text) = value, let choice = T(rawValue: text) else {
            let options = T.allCases.map(\.rawValue).joined(separator: " | ")
            report(.exchange, pointer, "must be one of \(options)")
            return nil
        }
        return choice
    }
}
