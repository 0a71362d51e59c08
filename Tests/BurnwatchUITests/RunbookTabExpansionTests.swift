import Testing
@testable import BurnwatchUI

@Suite struct RunbookTabExpansionTests {
    @Test func tabsInCodeAdvanceToTheNextStop() {
        #expect(RunbookRowBuilder.expandingTabs("\tb.mu.Lock()", width: 4) == "    b.mu.Lock()")
        #expect(RunbookRowBuilder.expandingTabs("ab\tc", width: 4) == "ab  c")
        #expect(RunbookRowBuilder.expandingTabs("abcd\te", width: 4) == "abcd    e")
        #expect(RunbookRowBuilder.expandingTabs("no tabs", width: 4) == "no tabs")
    }
}
