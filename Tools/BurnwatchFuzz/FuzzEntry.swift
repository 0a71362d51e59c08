/// The target this process fuzzes, chosen once at start-up (before libFuzzer calls in).
nonisolated(unsafe) var selectedFuzzTarget: FuzzTarget?

/// libFuzzer's entry point: runs one input through the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let target = selectedFuzzTarget else { return 0 }
    target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

#if BURNWATCH_LIBFUZZER
/// libFuzzer's driver (in `libclang_rt.fuzzer`): parses libFuzzer's flags and runs `callback` on each input.
@_silgen_name("LLVMFuzzerRunDriver")
func libFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif
