#!/usr/bin/env bash
# `make fuzz`: builds burnwatch-fuzz with libFuzzer + AddressSanitizer, seeds one corpus per target
# from ../shared/fixtures and the repository's examples, runs every target for FUZZ_SECONDS
# (default 60), two at a time, and prints executions, exec/s and crashes per target.
# FUZZ_TARGETS=a,b picks targets; FUZZ_JOBS (1 or 2) how many run at once. Exits 1 on any crash.
# Work files live in .fuzz/ (corpora grow across runs; crash inputs land in .fuzz/artifacts/TARGET/).
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
JOBS=${FUZZ_JOBS:-2}
ALL_TARGETS=(exposition openmetrics json-log logfmt log-time log-filter promql promregex config slo-import runbook recording terminal-safe)
IFS=, read -r -a TARGETS <<< "${FUZZ_TARGETS:-$(IFS=,; echo "${ALL_TARGETS[*]}")}"
FIXTURES=${FIXTURES:-../shared/fixtures}
WORK=.fuzz

build_fuzzer() {
  $SWIFT build -c release --scratch-path .build-fuzz --product burnwatch-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DBURNWATCH_LIBFUZZER > "$WORK/build.log" 2>&1
}
mkdir -p "$WORK"
if ! build_fuzzer; then
  # SwiftPM sometimes keeps a stale build description after sources move ("unknown build description").
  rm -f .build-fuzz/*/release/description.json .build-fuzz/release.yaml
  build_fuzzer || { grep -E 'error' "$WORK/build.log" | grep -v 'Cannot export' >&2; exit 1; }
fi
BIN="$($SWIFT build -c release --scratch-path .build-fuzz --show-bin-path)/burnwatch-fuzz"
[ -x "$BIN" ] || { echo "fuzz: $BIN was not built" >&2; exit 1; }

# seed TARGET NAME: stdin becomes one seed file of TARGET.
seed() { mkdir -p "$WORK/seeds/$1"; cat > "$WORK/seeds/$1/$2"; }
# seed_lines TARGET FILE PREFIX MAX: each of the first MAX lines of FILE, after PREFIX, is a seed.
seed_lines() {
  local n=0
  [ -f "$2" ] || return 0
  while IFS= read -r line && [ $n -lt "$4" ]; do
    printf '%s%s' "$3" "$line" | seed "$1" "$(basename "$2").$n"; n=$((n + 1))
  done < "$2"
}
# seed_pieces TARGET FILE: FILE cut at line ends into pieces of about 3 KB (and whole when small).
seed_pieces() {
  [ -f "$2" ] || return 0
  local dir="$WORK/seeds/$1"; mkdir -p "$dir"
  split -C 3000 -d -a 3 "$2" "$dir/$(basename "$2")."
}

make_seeds() {
  rm -rf "$WORK/seeds"; mkdir -p "$WORK/seeds"
  for f in "$FIXTURES"/exposition/*.txt; do seed_pieces exposition "$f"; seed_pieces openmetrics "$f"; done
  printf '# TYPE foo counter\n# UNIT foo seconds\n# HELP foo Some \\"help\\" text.\nfoo_total{a="x\\ny"} 17.0 1520879607.789 # {id="c"} 5 1520879607.123\nfoo_created 1520430000.123\n# TYPE s stateset\ns{s="a"} 1\n# TYPE h histogram\nh_bucket{le="+Inf"} 3\nh_count 3\nh_sum 1.5\n# EOF\n' \
    | seed openmetrics spec-sample
  for f in "$FIXTURES"/logs/*.jsonl "$FIXTURES"/logs/*.json.log; do
    seed_lines json-log "$f" $'level,msg,ts,request.method,status\n' 40
    seed_lines log-filter "$f" $'status>=500 and request.method=GET or not level=info\n' 10
    seed_lines terminal-safe "$f" "" 10
  done
  seed_lines logfmt "$FIXTURES/logs/prometheus.logfmt.log" "" 40
  local n=0
  for t in 2026-11-24T21:11:03.608Z '2026-11-24 21:11:03,608 +0100' 2026-11-24T21:11:03.608123456+01:00 1764018663.608 \
           1764018663608 1764018663608123456 24/Nov/2026:21:11:01 +0000 1.5ms 2h45m0.5s 0.000022063 '2026-11-24 21:11:03 +0000 UTC'; do
    printf '%s' "$t" | seed log-time "t$n"; n=$((n + 1))
  done
  n=0
  for q in 'sum by (code) (rate(http_requests_total{job="api",code=~"5.."}[1m]))' \
           'histogram_quantile(0.9, sum by (le) (rate(latency_seconds_bucket[5m])))' \
           'sum(increase(http_requests_total[2m] offset 30s)) / ignoring(code) group_left sum(up)' \
           'max_over_time(rate(http_requests_total[1m])[3m:30s] @ 100) > bool 0.5' \
           'topk(2, http_requests_total) or on(job) vector(1) unless absent(up)' \
           'label_replace(up, "x", "$1", "job", "(.*)") * -1 ^ 2 % 3' \
           'count_values("v", http_requests_total) and delta(up[10m])' \
           '{__name__=~"http.*", code!="200"} offset -1m'; do
    printf '%s' "$q" | seed promql "q$n"; n=$((n + 1))
  done
  grep -hoE '(expr|query|errors|total|sli|ratio)[a-z_]*: *"?[^"]+' Examples/*.yaml Examples/slos/*.yaml 2>/dev/null | sed -E 's/^[a-z_]+: *"?//' \
    | head -40 | while IFS= read -r q; do printf '%s' "$q" | seed promql "ex$(printf '%s' "$q" | cksum | cut -d' ' -f1)"; done
  n=0
  for p in $'\x05a*b' $'\x08(a|b)+.?' $'\x09[^a-b]{1,2}' $'\x07\\d\\w\\s|()' $'\x06^a.*b\xff\x01\x02'; do
    printf '%s\x00\x01\x02\x00' "$p" | seed promregex "r$n"; n=$((n + 1))
  done
  for f in Examples/*.yaml; do seed config "$(basename "$f")" < "$f"; done
  for f in Examples/slos/*.yaml; do seed slo-import "$(basename "$f")" < "$f"; done
  for f in Runbooks/*.md Tests/BurnwatchRunbooksTests/Fixtures/*/*.md; do seed_pieces runbook "$f"; done
  # Recording batches: a round, a scrape and a log dispatch, in the codec of docs/recording.md.
  printf '\x03\x02\x01' | seed recording round
  printf '\x01\x02\x03url\x03job\x04\x00\x00\x00\x00\x00\x00\xe0\x3f\xc8\x01\x01\x0atext/plain\x00\x05up 1\n' | seed recording scrape
  printf '\x02\x02\x04\x02\x01\x03src\x05{"a"}\x02\x01s\x00\x03\x04\x00' | seed recording logs
  printf 'ok \x1b[2J\x07\xc2\x9b\xe2\x80\xae\xe2\x81\xa6\r\n\xff\x7f tail' | seed terminal-safe escapes
}

max_len() {
  case "$1" in
    exposition|openmetrics|runbook|config|slo-import) echo 8192 ;;
    promregex|log-time) echo 256 ;;
    *) echo 4096 ;;
  esac
}

# run_target TARGET: one libFuzzer run; writes .fuzz/logs/TARGET.log and .fuzz/results/TARGET.
run_target() {
  local t=$1 corpus="$WORK/corpus/$1" artifacts="$WORK/artifacts/$1/" log="$WORK/logs/$1.log"
  mkdir -p "$corpus" "$artifacts" "$WORK/logs" "$WORK/results"
  local before; before=$(ls "$artifacts" | wc -l)
  local rc=0
  BURNWATCH_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no "$BIN" "$corpus" "$WORK/seeds/$t" \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -max_len="$(max_len "$t")" -timeout=10 \
    -artifact_prefix="$artifacts" -print_final_stats=1 > "$log" 2>&1 || rc=$?
  local execs rate crashes
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  rate=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  crashes=$(( $(ls "$artifacts" | wc -l) - before ))
  [ $rc -ne 0 ] && [ $crashes -eq 0 ] && crashes=1
  echo "$t $execs $rate $crashes" > "$WORK/results/$t"
  echo "$(date -u +%FT%TZ) $t $execs" >> "$WORK/executions.log"
}

make_seeds
rm -rf "$WORK/results"
running=0
for t in "${TARGETS[@]}"; do
  [[ " ${ALL_TARGETS[*]} " == *" $t "* ]] || { echo "fuzz: unknown target $t (targets: ${ALL_TARGETS[*]})" >&2; exit 2; }
  run_target "$t" &
  running=$((running + 1))
  if [ $running -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
done
wait || true

status=0
printf '%-14s %12s %9s %8s %14s\n' target executions exec/s crashes "total execs"
for t in "${TARGETS[@]}"; do
  read -r name execs rate crashes < "$WORK/results/$t"
  total=$(awk -v t="$t" '$2 == t { s += $3 } END { print s + 0 }' "$WORK/executions.log")
  printf '%-14s %12s %9s %8s %14s\n' "$name" "$execs" "$rate" "$crashes" "$total"
  if [ "$crashes" -ne 0 ]; then
    status=1
    echo "  $t: see $WORK/logs/$t.log; inputs in $WORK/artifacts/$t/" >&2
  fi
done
exit $status
