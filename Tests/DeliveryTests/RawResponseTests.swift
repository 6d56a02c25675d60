import Foundation
import Testing

@testable import Delivery

#if canImport(Glibc)
import Glibc
#endif

/// A listener on 127.0.0.1 that answers one connection with fixed bytes, whatever was asked:
/// for responses no HTTP server library would write.
private final class RawResponder: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let thread: Thread

    init(answer: String) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socket, pointer, length) == 0 && listen(socket, 1) == 0 && getsockname(socket, pointer, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        self.listener = socket
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let bytes = Array(answer.utf8)
        self.thread = Thread {
            let connection = accept(socket, nil, nil)
            guard connection >= 0 else { return }
            // Read the request head, then answer and close.
            var seen: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !seen.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
                let count = read(connection, &buffer, buffer.count)
                if count <= 0 { break }
                seen += buffer[0..<count]
            }
            _ = bytes.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            close(connection)
        }
        thread.start()
    }

    deinit { close(listener) }
}

@Suite("responses libcurl reads but Rabt refuses")
struct RawResponseTests {
    @Test("a response header whose name is not a token is a protocol error, not a dropped field")
    func invalidFieldName() async throws {
        let responder = try RawResponder(answer: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nBad Name: x\r\nConnection: close\r\n\r\nok")
        let transport = CurlTransport(logger: testLogger)
        defer { transport.shutdown() }
        let code = await failureCode(transport, OutboundRequest(method: "GET", url: "http://127.0.0.1:\(responder.port)/"))
        #expect(code == .protocolError)
    }
}
