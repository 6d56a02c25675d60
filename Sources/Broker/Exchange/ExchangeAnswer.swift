import Delivery
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// An answer to a consumer held as bytes, so that the first outcome of an idempotent request can
/// be kept and given again to a repeat of it.
struct ExchangeAnswer: Sendable {
    var status: Int
    var headers: HTTPFields
    var body: [UInt8]

    func response() -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The form the idempotency store keeps.
    var storedHeaders: [OutboxHeader] { [OutboxHeader](headers) }

    /// A JSON answer made by Rabt (a 202 or a message's status).
    static func json(_ value: some Encodable, status: Int, headers: HTTPFields = [:]) -> ExchangeAnswer {
        let body = (try? AdminJSON.encoder.encode(value)).map(Array.init) ?? []
        return ExchangeAnswer(status: status, headers: [.contentType: "application/json"] + headers, body: body)
    }
}
