import Testing

@Test func placeholderConfig() { #expect(1 + 1 == 2) }
