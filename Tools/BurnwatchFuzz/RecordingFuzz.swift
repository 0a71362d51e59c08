import BurnwatchRecording

/// The recording reader's batch decoding: any bytes are events or a failure at an offset inside
/// the batch; what decodes encodes to bytes that decode and encode again to the same bytes.
enum RecordingFuzz {
    static func run(_ data: UnsafeRawBufferPointer) {
        let bytes = Array(data)
        let events: [RecordedEvent]
        do {
            events = try RecordedEventCodec.decode(bytes)
        } catch {
            fuzzCheck(error.offset >= 0 && error.offset <= bytes.count, "failure offset \(error.offset) outside 0...\(bytes.count)")
            return
        }
        let encoded = RecordedEventCodec.encode(events)
        do {
            let again = try RecordedEventCodec.decode(encoded)
            fuzzCheck(RecordedEventCodec.encode(again) == encoded, "encode(decode(encode(x))) differs from encode(x)")
        } catch {
            fuzzCheck(false, "re-encoded events do not decode: \(error)")
        }
    }
}
