import Synchronization

/// A metric handle made on first use and read without a lock afterwards: tables of these are
/// built when the program is compiled, so a request's metrics cost atomic loads and increments,
/// and only a series' first use reaches the metrics backend (and its registry lock).
final class LazyHandle<Handle: AnyObject & Sendable>: Sendable {
    /// The handle's retained pointer, 0 until made.
    private let bits = Atomic<UInt>(0)
    private let make: @Sendable () -> Handle

    init(_ make: @escaping @Sendable () -> Handle) {
        self.make = make
    }

    var handle: Handle {
        let loaded = bits.load(ordering: .acquiring)
        if loaded != 0 { return Self.object(loaded) }
        let made = Unmanaged.passRetained(make())
        let desired = UInt(bitPattern: made.toOpaque())
        let (exchanged, original) = bits.compareExchange(expected: 0, desired: desired, ordering: .acquiringAndReleasing)
        if exchanged { return made.takeUnretainedValue() }
        // Another request made it first; the backend returns the same series for both.
        made.release()
        return Self.object(original)
    }

    private static func object(_ bits: UInt) -> Handle {
        Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).takeUnretainedValue()
    }

    deinit {
        let loaded = bits.load(ordering: .acquiring)
        if loaded != 0 { Unmanaged<Handle>.fromOpaque(UnsafeRawPointer(bitPattern: loaded)!).release() }
    }
}
