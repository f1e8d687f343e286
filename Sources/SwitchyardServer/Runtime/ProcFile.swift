#if canImport(Glibc)
import Glibc
#endif

/// Reads a small file of `/proc` to its end (their size reads as 0, so it is read until `fread`
/// returns nothing): `CPUAffinity` reads `status`, `MemoryTrim` `statm`.
enum ProcFile {
    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            guard count > 0 else { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
