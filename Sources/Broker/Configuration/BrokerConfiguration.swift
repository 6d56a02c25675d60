import Foundation

/// Everything `rabt serve` needs to run one broker node.
public struct BrokerConfiguration: Sendable {
    /// Where the exchange, admin and audit APIs listen (TLS, client certificates required).
    public struct Listener: Sendable {
        /// Address to bind; loopback by default.
        public var host: String
        /// Port to bind; 0 picks a free one (tests, the demo).
        public var port: Int
        /// The authorities (`host[:port]`) clients address this node by and sign for; empty
        /// means the TLS certificate's names and the bound address, with the bound port.
        public var publicNames: [String]

        public init(host: String = "127.0.0.1", port: Int = 8443, publicNames: [String] = []) {
            self.host = host
            self.port = port
            self.publicNames = publicNames
        }
    }

    /// Rabt's own certificates and keys (PEM files).
    public struct Identity: Sendable {
        /// The exchange CA that issues agency, operator and Rabt certificates.
        public var caFile: String
        /// Rabt's certificate: TLS server towards agencies, TLS client towards providers.
        public var certificateFile: String
        /// The private key of `certificateFile`.
        public var privateKeyFile: String
        /// Rabt's RFC 9421 signing key for countersignatures and receipts (PEM, ed25519 or P-256).
        public var signingKeyFile: String
        /// The `keyid` Rabt signs with.
        public var signingKeyId: String

        public init(
            caFile: String,
            certificateFile: String,
            privateKeyFile: String,
            signingKeyFile: String,
            signingKeyId: String = "rabt"
        ) {
            self.caFile = caFile
            self.certificateFile = certificateFile
            self.privateKeyFile = privateKeyFile
            self.signingKeyFile = signingKeyFile
            self.signingKeyId = signingKeyId
        }
    }

    /// Limits and windows of the exchange path.
    public struct Exchange: Sendable {
        /// Exchanges one agency may have in progress on a node at once (`too-many-requests` beyond).
        public var maxExchangesPerAgency: Int
        /// Largest request body accepted (`payload-too-large` beyond).
        public var maxRequestBody: Int
        /// Largest provider response accepted.
        public var maxResponseBody: Int
        /// How far a signature's `created` may be from Rabt's clock. Nonces are remembered for as
        /// long as a signature could pass this check, so this is also the replay window.
        public var signatureSkew: Duration

        public init(
            maxRequestBody: Int = 1 << 20,
            maxResponseBody: Int = 8 << 20,
            signatureSkew: Duration = .seconds(300),
            maxExchangesPerAgency: Int = 64
        ) {
            self.maxExchangesPerAgency = maxExchangesPerAgency
            self.maxRequestBody = maxRequestBody
            self.maxResponseBody = maxResponseBody
            self.signatureSkew = signatureSkew
        }
    }

    /// The tamper-evident log: who signs its tree heads, how often, and the key for kept bodies.
    public struct AuditLog: Sendable {
        /// The log's name in its signed tree heads (C2SP checkpoint origin and key name).
        public var origin: String
        /// Rabt's Ed25519 audit key (PKCS#8 PEM) that signs tree heads.
        public var signingKeyFile: String
        /// Base64 file of the 32-byte AES-256-GCM key for bodies of contracts with
        /// `audit: {body: full}`; without it such exchanges are refused (`audit-unavailable`).
        public var bodyKeyFile: String?
        /// How often a new tree head is signed while the log grows.
        public var headInterval: Duration

        public init(
            origin: String = "rabt.local/audit",
            signingKeyFile: String,
            bodyKeyFile: String? = nil,
            headInterval: Duration = .seconds(60)
        ) {
            self.origin = origin
            self.signingKeyFile = signingKeyFile
            self.bodyKeyFile = bodyKeyFile
            self.headInterval = headInterval
        }
    }

    public var listener: Listener
    public var identity: Identity
    /// Where the node keeps its state: an SQLite file (one node), or a `postgres://` URL of the
    /// database several nodes share (see `StoreLocation`).
    public var database: String
    /// How long a write waits for a database lock held elsewhere before the exchange is refused
    /// (`audit-unavailable` when the audit log cannot record).
    public var databaseBusyTimeout: Duration = .seconds(5)
    /// The most pooled connections this node opens to a PostgreSQL store (it opens one more for
    /// the sequencer session); ignored for SQLite.
    public var databaseConnections: Int = 10
    public var exchange: Exchange
    /// What one client connection may hold: deadlines, header sizes, the node's connection count.
    public var connections = ConnectionLimits()
    public var auditLog: AuditLog
    /// How often the node looks for contracts published or deprecated by other nodes sharing its store.
    public var contractRefreshInterval: Duration = .seconds(2)
    /// The asynchronous delivery worker.
    public var asyncDelivery = AsyncDelivery()
    /// Which agency endpoints the node accepts and connects to.
    public var endpoints = Endpoints()

    /// Where the node delivers: endpoint URLs are refused when registered, and addresses when
    /// connected to, by `Delivery.DestinationPolicy` — never the node itself, its host or its
    /// link (loopback, link-local) unless allowed here.
    public struct Endpoints: Sendable {
        /// Whether loopback and link-local endpoints are allowed (`--allow-private-endpoints`,
        /// `RABT_ALLOW_PRIVATE_ENDPOINTS`): for development, the demo and the tests, where
        /// providers run on the same machine; never between real agencies.
        public var allowPrivate: Bool

        public init(allowPrivate: Bool = false) {
            self.allowPrivate = allowPrivate
        }
    }

    /// How this node delivers `respond-async` messages from the durable outbox.
    public struct AsyncDelivery: Sendable {
        /// Messages in flight at once on this node (bounds memory and the load on a recovering provider).
        public var concurrency: Int = 16
        /// How long an idle worker waits before looking for due messages again.
        public var pollInterval: Duration = .milliseconds(200)
        /// How long a claimed message belongs to this node; after a crash it is delivered again
        /// once its lease has run out.
        public var lease: Duration = .seconds(60)

        public init() {}
    }

    public init(
        listener: Listener = .init(), identity: Identity, database: String, exchange: Exchange = .init(),
        auditLog: AuditLog
    ) {
        self.listener = listener
        self.identity = identity
        self.database = database
        self.exchange = exchange
        self.auditLog = auditLog
    }
}
