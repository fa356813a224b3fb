#!/usr/bin/env bash
# make fuzz: coverage-guided fuzzing (libFuzzer) of every parser Uplift owns or calls, one target
# at a time, FUZZ_SECONDS each (default 300). Seeds: Corpus/<target>/ (committed); what libFuzzer
# learns goes to .work/corpus/<target>/, crashers and stalls to .work/artifacts/. Where the
# toolchain has no libFuzzer (Apple's), the deterministic mutation runner does the same job
# without coverage. Exit status 1 when any target crashed or stalled.
#
#   Tools/fuzz/run.sh [TARGET...]    targets: audio analysis profile cache theme config journal osc pcm
#   FUZZ_SECONDS=600 FUZZ_TIMEOUT=10 Tools/fuzz/run.sh audio osc
#   Tools/fuzz/run.sh --mutate osc   force the mutation runner
set -u
cd "$(dirname "$0")"
SWIFT=${SWIFT:-swift}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-300}
TIMEOUT=${FUZZ_TIMEOUT:-10}
ALL="audio analysis profile cache theme config journal osc pcm"
MODE=libfuzzer
if [ "${1:-}" = "--mutate" ]; then MODE=mutate; shift; fi
TARGETS=${*:-$ALL}
mkdir -p .work/corpus .work/artifacts .work/logs

if [ $MODE = libfuzzer ]; then
  echo "uplift-fuzz: building with -sanitize=fuzzer,address (Tools/fuzz/.build; the first build takes minutes)"
  if ! $SWIFT build --product UpliftFuzzer -Xswiftc -sanitize=fuzzer,address > .work/logs/build.log 2>&1; then
    # A compile error in the sources is not a toolchain without libFuzzer: say so rather than fall back quietly.
    if grep -qE '\.swift:[0-9]+:[0-9]+: error:' .work/logs/build.log; then
      grep -E '\.swift:[0-9]+:[0-9]+: error:' .work/logs/build.log | head -5
      echo "uplift-fuzz: the sources do not compile (see Tools/fuzz/.work/logs/build.log)"
      exit 1
    fi
    echo "uplift-fuzz: libFuzzer is not available with this toolchain (see Tools/fuzz/.work/logs/build.log); using the mutation runner"
    MODE=mutate
  fi
fi
if [ $MODE = mutate ]; then
  $SWIFT build --product uplift-mutate > .work/logs/build-mutate.log 2>&1 || { cat .work/logs/build-mutate.log; exit 1; }
fi
BIN=$($SWIFT build --show-bin-path)

status=0
summary=""
for t in $TARGETS; do
  seeds=Corpus/$t
  [ "$t" = analysis ] && seeds=Corpus/audio
  [ -d "$seeds" ] || { echo "uplift-fuzz: no target $t (have: $ALL)"; exit 2; }
  log=.work/logs/$t.log
  echo "uplift-fuzz: $t for ${SECONDS_PER_TARGET} s"
  if [ $MODE = libfuzzer ]; then
    mkdir -p ".work/corpus/$t"
    # Crashes, timeouts and out-of-memory only: libFuzzer's slow-unit reports (a unit over 10 s of
    # wall clock, which a loaded machine produces) are listed apart and do not fail the run.
    before=$(ls .work/artifacts | grep -cE "^$t-(crash|timeout|oom|leak)-" || true)
    slow_before=$(ls .work/artifacts | grep -c "^$t-slow-unit-" || true)
    # ASan's leak check is off: the Swift runtime keeps caches that look like leaks at exit.
    UPLIFT_FUZZ_TARGET=$t ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
      "$BIN/UpliftFuzzer" ".work/corpus/$t" "$seeds" -max_total_time="$SECONDS_PER_TARGET" -timeout="$TIMEOUT" \
      -rss_limit_mb=3072 -artifact_prefix=".work/artifacts/$t-" -print_final_stats=1 -close_fd_mask=2 > "$log" 2>&1
    after=$(ls .work/artifacts | grep -cE "^$t-(crash|timeout|oom|leak)-" || true)
    found=$((after - before))
    slow=$(( $(ls .work/artifacts | grep -c "^$t-slow-unit-" || true) - slow_before ))
    done_line=$(grep -E "^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)" "$log" | tail -1)
    execs=$(grep -E "^stat::number_of_executed_units" "$log" | awk '{print $2}')
    rate=$(grep -E "^stat::average_exec_per_sec" "$log" | awk '{print $2}')
    cov=$(echo "$done_line" | sed -nE 's/.*cov: ([0-9]+).*/\1/p')
    ft=$(echo "$done_line" | sed -nE 's/.*ft: ([0-9]+).*/\1/p')
    corp=$(echo "$done_line" | sed -nE 's/.*corp: ([0-9]+).*/\1/p')
    line="$t: ${execs:-?} executions (${rate:-?}/s), coverage ${cov:-?} edges, ${ft:-?} features, corpus ${corp:-?}, crashes+timeouts ${found}, slow units ${slow}"
    if [ "$found" -gt 0 ] || ! grep -q "^Done " "$log"; then
      status=1
      line="$line  <-- see $log and .work/artifacts/$t-*"
    fi
  else
    if ! "$BIN/uplift-mutate" "$t" "$seeds" "$SECONDS_PER_TARGET" "$TIMEOUT" .work/artifacts > "$log" 2>&1; then
      status=1
      line="$t: CRASHED or stalled; the input is Tools/fuzz/.work/artifacts/crash-candidate-$t or stall-$t-* (see $log)"
    else
      line=$(tail -1 "$log")
    fi
  fi
  echo "  $line"
  summary="$summary$line\n"
done
printf "\nuplift-fuzz summary (%s, %s s per target)\n%b" "$MODE" "$SECONDS_PER_TARGET" "$summary"
exit $status
