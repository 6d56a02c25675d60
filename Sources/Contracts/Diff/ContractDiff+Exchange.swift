extension ContractDiff.SettingChange {
    /// The settings that differ between `old` and `new`, in the order a contract writes them.
    static func changes(from old: Contract.Exchange, to new: Contract.Exchange) -> [Self] {
        var changes: [Self] = []
        func compare(_ setting: String, _ before: String, _ after: String) {
            if before != after { changes.append(Self(setting: setting, old: before, new: after)) }
        }
        func compare(_ setting: String, _ before: Duration, _ after: Duration) {
            compare(setting, DurationText.format(before), DurationText.format(after))
        }
        compare("provider", old.provider, new.provider)
        compare("service", old.service, new.service)
        compare("version", String(old.version), String(new.version))
        // Consumers one by one: the list is a set of grants, so its order is no change.
        for consumer in old.consumers.mergedInOrder(with: new.consumers) {
            switch (old.consumers.contains(consumer), new.consumers.contains(consumer)) {
            case (true, false): changes.append(Self(setting: "consumers", old: consumer, new: nil))
            case (false, true): changes.append(Self(setting: "consumers", old: nil, new: consumer))
            default: break
            }
        }
        compare("timeout", old.timeout, new.timeout)
        compare("retry.attempts", String(old.retry.attempts), String(new.retry.attempts))
        compare("retry.initialBackoff", old.retry.initialBackoff, new.retry.initialBackoff)
        compare("retry.maxBackoff", old.retry.maxBackoff, new.retry.maxBackoff)
        compare("async.retryFor", old.asyncRetryFor, new.asyncRetryFor)
        compare("async.initialBackoff", old.asyncInitialBackoff, new.asyncInitialBackoff)
        compare("async.maxBackoff", old.asyncMaxBackoff, new.asyncMaxBackoff)
        compare("async.callback", old.asyncCallbackPath ?? "none", new.asyncCallbackPath ?? "none")
        compare("idempotency.window", old.idempotencyWindow, new.idempotencyWindow)
        compare("audit.body", old.auditBody.rawValue, new.auditBody.rawValue)
        compare("responseValidation", old.responseValidation.rawValue, new.responseValidation.rawValue)
        compare("formatAssertion", String(old.formatAssertion), String(new.formatAssertion))
        compare("undeclaredQuery", old.undeclaredQuery.rawValue, new.undeclaredQuery.rawValue)
        return changes
    }
}
