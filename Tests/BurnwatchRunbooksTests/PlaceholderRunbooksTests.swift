import Testing

@Test func placeholderRunbooks() { #expect(1 + 1 == 2) }
