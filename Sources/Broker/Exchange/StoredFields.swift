import HTTPTypes
import Store

extension [OutboxHeader] {
    /// The persisted form of `fields`, in order, for the outbox and the idempotency store.
    public init(_ fields: HTTPFields) {
        self = fields.map { OutboxHeader(name: $0.name.rawName, value: $0.value) }
    }
}

extension HTTPFields {
    /// Fields read back from the outbox or the idempotency store. Every stored name was a field
    /// name when it was written, so one that is not means the row was altered: refused, never
    /// dropped or sent.
    init(stored: [OutboxHeader]) throws(Problem) {
        self.init()
        for header in stored {
            guard let name = HTTPField.Name(header.name) else {
                throw Problem(.internalError, "A stored header name is not a field name: \(header.name.prefix(64).debugDescription).")
            }
            self.append(HTTPField(name: name, value: header.value))
        }
    }
}
