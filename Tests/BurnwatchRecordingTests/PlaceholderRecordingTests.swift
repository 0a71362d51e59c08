import Testing

@Test func placeholderRecording() { #expect(1 + 1 == 2) }
