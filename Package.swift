// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchyard", targets: ["switchyard"]),
        .library(name: "SwitchyardCore", targets: ["SwitchyardCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        // OpenTelemetry traces over OTLP/HTTP (protobuf); only the HTTP exporter is compiled.
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
    ],
    targets: [
        // PCRE2 (8-bit code units) from the system: `apt-get install libpcre2-dev`.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        // glibc's malloc.h (`mallinfo2`, `malloc_trim`) for `MemoryTrim`.
        .systemLibrary(name: "CMalloc"),
        // Regex engine and PII scrubbing (PCRE2, JIT). No network, no HTTP.
        .target(
            name: "SwitchyardScrub",
            dependencies: [
                "CPCRE2",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The engine: wire types, configuration, compiled program, errors.
        // Must not import Hummingbird or AsyncHTTPClient.
        .target(
            name: "SwitchyardCore",
            dependencies: [
                "SwitchyardScrub",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Upstream adapters: the only place that speaks HTTP to providers.
        .target(
            name: "SwitchyardProviders",
            dependencies: [
                "SwitchyardCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // SigV4 (HMAC-SHA256) and Vertex service-account JWTs (RSA PKCS#1 v1.5).
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Keys, teams, users, budgets and spend on SQLite (embedded) or PostgreSQL.
        .target(
            name: "SwitchyardStore",
            dependencies: [
                "SwitchyardCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP front end.
        .target(
            name: "SwitchyardServer",
            dependencies: [
                "SwitchyardCore",
                "SwitchyardScrub",
                "SwitchyardProviders",
                "SwitchyardStore",
                "CMalloc",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "switchyard",
            dependencies: [
                "SwitchyardCore",
                "SwitchyardScrub",
                "SwitchyardServer",
                "SwitchyardStore",
                "SwitchyardProviders",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A seeded generator (SplitMix64) for generated test data, benchmarks and the fuzzer.
        .target(name: "SeededRandom", swiftSettings: swiftSettings),
        // Fuzzing the JSON parser, the request validator, the SSE parser / stream translation and
        // the config loader: a deterministic mutation fuzzer by default, libFuzzer with
        // `-sanitize=fuzzer -DFUZZING` (`make fuzz`).
        .executableTarget(
            name: "switchyard-fuzz",
            dependencies: [
                "SwitchyardCore",
                "SwitchyardProviders",
                "SeededRandom",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Fuzz",
            exclude: ["corpus"],
            swiftSettings: swiftSettings
        ),
        // Micro-benchmark of the pipeline interpreter: `swift run -c release PipelineBench`.
        .executableTarget(
            name: "PipelineBench",
            dependencies: [
                "SwitchyardCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/PipelineBench",
            swiftSettings: swiftSettings
        ),
        // `swift run -c release scrub-bench`: scrubbing throughput (MB/s, µs per request).
        .executableTarget(
            name: "scrub-bench",
            dependencies: ["SeededRandom", "SwitchyardScrub"],
            path: "Benchmarks/ScrubBench",
            swiftSettings: swiftSettings
        ),
        // `scripts/pii_eval/run.sh`: the scrubber's findings on the PII evaluation set.
        .executableTarget(
            name: "scrub-eval",
            dependencies: ["SwitchyardScrub"],
            path: "Benchmarks/ScrubEval",
            swiftSettings: swiftSettings
        ),
        // `swift run -c release translate-bench`: stream translation cost (µs per event).
        .executableTarget(
            name: "translate-bench",
            dependencies: [
                "SwitchyardProviders",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/TranslateBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchyardScrubTests",
            dependencies: ["SwitchyardScrub", "SeededRandom"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchyardCoreTests",
            dependencies: ["SwitchyardCore", "SwitchyardScrub", "CPCRE2"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchyardStoreTests",
            dependencies: [
                "SwitchyardStore",
                "SwitchyardCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SwitchyardServerTests",
            dependencies: [
                "SeededRandom",
                "SwitchyardCore",
                "SwitchyardServer",
                "SwitchyardProviders",
                "SwitchyardStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            // Read by path (#filePath); generated by scripts/gen_*.py.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
