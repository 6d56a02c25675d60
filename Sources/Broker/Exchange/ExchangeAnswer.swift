import Delivery
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// An answer to a consumer held as bytes, so that the first outcome of an idempotent request can
/// be kept and given again to a repeat of it.
struct ExchangeAnswer: Sendable {
    var status: Int
    var headers: [HTTPHeader]
    var body: [UInt8]

    func response() -> Response {
        var fields = HTTPFields()
        for header in headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The form the idempotency store keeps.
    var storedHeaders: [OutboxHeader] { headers.map { OutboxHeader(name: $0.name, value: $0.value) } }

    /// A JSON answer made by Rabt (a 202 or a message's status).
    static func json(_ value: some Encodable, status: Int, headers: [HTTPHeader] = []) -> ExchangeAnswer {
        let body = (try? AdminJSON.encoder.encode(value)).map(Array.init) ?? []
        return ExchangeAnswer(status: status, headers: [HTTPHeader(name: "Content-Type", value: "application/json")] + headers, body: body)
    }
}
