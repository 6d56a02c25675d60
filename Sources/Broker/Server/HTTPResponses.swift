import Foundation
import Hummingbird
import NIOCore
import Store

extension Response {
    /// A JSON answer of the admin and audit APIs.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        do {
            let data = try AdminJSON.encoder.encode(value)
            return Response(
                status: status, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        } catch {
            return Problem(.internalError, "The answer could not be encoded.", underlying: error).response()
        }
    }
}

extension Request {
    /// The whole body, refused with `payload-too-large` beyond `limit` bytes, or with
    /// `malformed-request` when it did not arrive whole (the connection guard refused it midway).
    func collectBody(limit: Int) async throws(Problem) -> [UInt8] {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as NIOTooManyBytesError {
            throw Problem(.payloadTooLarge, "The body exceeds \(limit) bytes.", underlying: error)
        } catch {
            throw Problem(.malformedRequest, "The request body did not arrive whole.", underlying: error)
        }
    }
}

extension Problem {
    /// The problem a store failure becomes: `audit-unavailable` when the log cannot record,
    /// `conflict`/`not-found` for registry outcomes, `internal-error` otherwise.
    init(_ error: StoreError) {
        switch error.code {
        case .auditUnavailable:
            self.init(.auditUnavailable, "The audit log cannot record right now; nothing was done.", retryAfter: 5, underlying: error)
        case .conflict:
            self.init(.conflict, error.message, underlying: error)
        case .notFound:
            self.init(.notFound, error.message, underlying: error)
        case .storeUnavailable:
            self.init(.storeUnavailable, "The registry database is unavailable.", retryAfter: 5, underlying: error)
        default:
            self.init(.internalError, "The registry database failed.", underlying: error)
        }
    }
}
