// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "rabt",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rabt", targets: ["rabt"]),
        .executable(name: "rabt-bench", targets: ["ExchangeBenchmark"]),
        .executable(name: "rabt-audit-bench", targets: ["AuditBenchmark"]),
        .executable(name: "rabt-schema-bench", targets: ["SchemaBenchmark"]),
        .executable(name: "rabt-fuzz", targets: ["Fuzz"]),
        .library(name: "JSONSchema", targets: ["JSONSchema"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-http-structured-headers.git", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // Pure logic
        .target(
            name: "JSONSchema",
            dependencies: ["CRE2"],
            resources: [.copy("Resources/metaschemas")],
            swiftSettings: swiftSettings
        ),
        // RE2 (Debian's libre2-dev) behind a C API, the linear-time matcher for schema patterns.
        .target(
            name: "CRE2",
            linkerSettings: [.linkedLibrary("re2")]
        ),
        .target(
            name: "Contracts",
            dependencies: [
                "JSONSchema",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Signing",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
                .product(name: "StructuredFieldValues", package: "swift-http-structured-headers"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Audit",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // I/O
        .target(
            name: "Store",
            dependencies: [
                "Audit",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(
            name: "Delivery",
            dependencies: [
                "CCurl",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Agencies",
            dependencies: [
                "Signing",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Broker",
            dependencies: [
                "JSONSchema", "Contracts", "Signing", "Audit", "Store", "Delivery",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Demo",
            dependencies: [
                "Broker", "Agencies", "Signing", "Delivery", "Contracts", "Store", "Audit",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Resources/contracts is a link to the repository's contracts/, so the sample contracts
            // have one source; `.process` copies the files it points to (`.copy` would copy the
            // link), into one folder: their names must differ.
            resources: [.process("Resources/contracts")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "rabt",
            dependencies: [
                "Broker", "Demo", "Agencies", "JSONSchema", "Contracts", "Signing", "Delivery", "Store", "Audit",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ExchangeBenchmark",
            dependencies: [
                "Demo", "Agencies", "Delivery", "Signing", "Broker", "Store", "Audit", "Contracts", "PostgresTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "SchemaBenchmark", dependencies: ["JSONSchema"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "AuditBenchmark",
            dependencies: ["Store", "Audit"],
            swiftSettings: swiftSettings
        ),
        // The parsers of untrusted input as libFuzzer targets (scripts/fuzz.sh, docs/fuzzing.md);
        // an ordinary build replays files through them.
        .executableTarget(
            name: "Fuzz",
            dependencies: [
                "JSONSchema", "Contracts", "Signing", "Audit",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // Tests
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ContractsTests",
            dependencies: ["Contracts", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SigningTests", dependencies: ["Signing", "FieldLines", .product(name: "HTTPTypes", package: "swift-http-types")], swiftSettings: swiftSettings),
        .testTarget(name: "AuditTests", dependencies: ["Audit"], swiftSettings: swiftSettings),
        // Creates a throwaway database per test on the server `scripts/postgres-test.sh` starts.
        .target(
            name: "PostgresTestSupport",
            dependencies: [.product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support/PostgresTestSupport",
            swiftSettings: swiftSettings
        ),
        // Bounded waits for a condition (`poll(within:)`, `eventually(within:)`), never a fixed sleep.
        .target(name: "Eventually", path: "Tests/Support/Eventually", swiftSettings: swiftSettings),
        // Header fields written as (name, value) lines in tests.
        .target(
            name: "FieldLines",
            dependencies: [.product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Tests/Support/FieldLines",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "PostgresTestSupport", "Eventually", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeliveryTests", dependencies: ["Delivery", "Agencies", "Signing", "FieldLines", "Eventually", .product(name: "HTTPTypes", package: "swift-http-types")], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BrokerTests",
            dependencies: [
                "Broker", "Agencies", "Demo", "Delivery", "Signing", "Store", "Audit", "Contracts", "JSONSchema",
                "PostgresTestSupport", "FieldLines", "Eventually", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    cxxLanguageStandard: .cxx17
)
