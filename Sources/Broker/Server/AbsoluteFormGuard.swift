import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// Keeps the host of an absolute-form request target (`GET https://host/path HTTP/1.1`).
///
/// HTTP/1.1 servers must accept the absolute form (RFC 9112 §3.2.2) and take the authority from
/// it rather than from `Host`. The conversion to swift-http-types keeps only its path, so this
/// handler, ahead of that conversion, rewrites such a request to origin-form with its target's
/// authority as the only `Host`, and marks it with ``marker`` naming that authority. A client's
/// own field of that name is removed first, so the marker can only come from here. The exchange
/// then refuses an absolute-form target that names a host other than the node's public names
/// (`target-invalid`), and reads the signature over the authority the target named. A target in
/// any other form than a path or an `http(s)://host/…` URI gets an empty marker and is refused.
final class AbsoluteFormGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    /// The field that carries the authority of an absolute-form target, set only by this handler.
    static let marker = "Rabt-Absolute-Form"
    /// ``marker`` as the request's fields name it.
    static let markerName = HTTPField.Name(marker)!

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else {
            context.fireChannelRead(data)
            return
        }
        head.headers.remove(name: Self.marker)
        if let (authority, originForm) = Self.split(absoluteForm: head.uri) {
            head.uri = originForm
            head.headers.remove(name: "Host")
            head.headers.add(name: "Host", value: authority)
            head.headers.add(name: Self.marker, value: authority)
        } else if !head.uri.hasPrefix("/") {
            // Any other form (`ftp://…`, `https:/…`, `https://user@host/…`, `*`): the conversion
            // would keep some path of it; an empty marker makes the exchange refuse it instead.
            head.headers.add(name: Self.marker, value: "")
        }
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    /// `https://host:port/path?query` → (`host:port`, `/path?query`); nil for any other form.
    static func split(absoluteForm uri: String) -> (authority: String, originForm: String)? {
        guard !uri.hasPrefix("/"), let schemeEnd = uri.range(of: "://") else { return nil }
        let scheme = uri[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        let rest = uri[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var originForm = String(rest[authorityEnd...])
        if !originForm.hasPrefix("/") { originForm = "/" + originForm }
        return (authority, originForm)
    }
}

/// Puts an ``AbsoluteFormGuard`` ahead of the conversion to swift-http-types: Hummingbird adds
/// its extra handlers after that conversion, so this one moves the guard in front of it and
/// leaves.
final class AbsoluteFormGuardInstaller: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func handlerAdded(context: ChannelHandlerContext) {
        let pipeline = context.pipeline.syncOperations
        if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
            try? pipeline.addHandler(AbsoluteFormGuard(), position: .before(codec))
        }
        pipeline.removeHandler(context: context, promise: nil)
    }
}
