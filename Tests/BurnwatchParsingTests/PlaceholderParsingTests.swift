import Testing

@Test func placeholderParsing() { #expect(1 + 1 == 2) }
