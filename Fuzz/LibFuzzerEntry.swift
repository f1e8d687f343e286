#if FUZZING
import Foundation

/// libFuzzer's entry point (`make fuzz`, built with `-sanitize=fuzzer -DFUZZING`); the target
/// comes from `FUZZ_TARGET` (json, request, sse, config).
private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "json"
    guard let target = FuzzTarget(rawValue: name) else { fatalError("FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue))") }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    target.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#endif
