#!/usr/bin/env bash
# The test suite with a bound: a run that does not end within BURNWATCH_TEST_LIMIT seconds
# (default 1800) is stopped, names the tests that had started and not ended, and fails.
set -uo pipefail
cd "$(dirname "$0")/.."
limit=${BURNWATCH_TEST_LIMIT:-1800}
log=.build/test-output.log
mkdir -p .build
# Line-buffered, so that the log holds every line printed before a stop.
timeout -k 30 "$limit" stdbuf -oL -eL "${SWIFT:-swift}" test --skip-build --parallel --num-workers 2 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "burnwatch: the tests did not end within ${limit} s; started and not ended:"
    awk '
        /^◇ Test case / { next }
        /^◇ Test .* started\.$/ { name = $0; sub(/^◇ Test /, "", name); sub(/ started\.$/, "", name); open[name] = 1 }
        /^(✔|✘) Test .* (passed|failed)/ {
            name = $0; sub(/^(✔|✘) Test /, "", name); sub(/ (with [0-9]+ test cases? )?(passed|failed).*$/, "", name); delete open[name]
        }
        END { for (n in open) print "  " n }
    ' "$log"
fi
exit "$rc"
