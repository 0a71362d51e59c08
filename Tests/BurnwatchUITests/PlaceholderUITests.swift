import Testing

@Test func placeholderUI() { #expect(1 + 1 == 2) }
