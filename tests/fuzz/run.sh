#!/usr/bin/env bash
# Runs every libFuzzer target of the fuzz build for a bounded time and reports, per target, the
# seconds run, executions, corpus size and findings. Exits non-zero when any target found a crash,
# a sanitizer report, a leak, a hang (FUZZ_TIMEOUT, 60 s) or a broken invariant.
#
#   tests/fuzz/run.sh SECONDS_PER_TARGET [scratch|keep]
# scratch (make test): each run starts from the seed corpus in a fresh folder, thrown away after.
# keep (make fuzz): the grown corpus is kept in $FUZZ_BUILD_DIR/corpus/<target>, outside git,
#   and the next run starts from it.
# Seeds and logs go to $FUZZ_BUILD_DIR/seeds-MODE and logs-MODE, so that both modes can run at once.
# Environment: FUZZ_BUILD_DIR (build-fuzz), FUZZ_JOBS (targets at a time, 2), FUZZ_TARGETS (a
# subset, by name), CCANALYTICS_BIN (a built ccanalytics whose `generate` output seeds the corpus;
# build/ccanalytics), CCANALYTICS_DATASETS (the reference datasets, else ../shared/datasets).
set -uo pipefail

seconds=${1:?usage: run.sh SECONDS_PER_TARGET [scratch|keep]}
mode=${2:-scratch}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${FUZZ_BUILD_DIR:-$root/build-fuzz}" && pwd)
jobs=${FUZZ_JOBS:-2}
# A wall-clock limit per input. Inputs take well under a second; on a shared, loaded machine a
# low-priority fuzzer can still wait many seconds for a core, which must not count as a hang.
timeout=${FUZZ_TIMEOUT:-60}
bin=${CCANALYTICS_BIN:-$root/build/ccanalytics}
dicts=$root/tests/fuzz/dictionaries
all_targets="cloudwatch_jsonl_fuzzer otlp_logs_json_fuzzer otlp_metrics_json_fuzzer
  otlp_logs_protobuf_fuzzer otlp_metrics_protobuf_fuzzer employees_csv_fuzzer query_params_fuzzer"
targets=${FUZZ_TARGETS:-$all_targets}

declare -A dict=(
  [cloudwatch_jsonl_fuzzer]=otlp_json.dict [otlp_logs_json_fuzzer]=otlp_json.dict
  [otlp_metrics_json_fuzzer]=otlp_json.dict [otlp_logs_protobuf_fuzzer]=otlp_protobuf.dict
  [otlp_metrics_protobuf_fuzzer]=otlp_protobuf.dict [employees_csv_fuzzer]=employees_csv.dict
  [query_params_fuzzer]=query.dict)

# The seed corpus, written afresh: fixtures, dataset samples, a small generated dataset.
generated=$build/generated
if [[ -x $bin && ! -f $generated/telemetry_logs.jsonl ]]; then
  "$bin" generate --output-dir "$generated" --num-users 4 --num-sessions 6 --days 2 --seed 11 \
    >/dev/null || echo "fuzz: ccanalytics generate failed; its seeds are skipped"
elif [[ ! -x $bin ]]; then
  echo "fuzz: no ccanalytics binary at $bin; the generated-dataset seeds are skipped"
fi
rm -rf "$build/seeds-$mode"
"$build/tests/fuzz/fuzz_seed_corpus" "$build/seeds-$mode" "$generated" | sed 's/^/fuzz: seeds: /' || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
mkdir -p "$build/logs-$mode" "$build/findings"

run_target() {
  local target=$1 corpus
  if [[ $mode == keep ]]; then
    corpus=$build/corpus/$target
  else
    corpus=$build/scratch-corpus/$target
    rm -rf "$corpus"
  fi
  mkdir -p "$corpus"
  local start=$SECONDS
  # Inputs that once broke a target (committed, small) run first, with the seeds.
  local regressions=()
  [[ -d $root/tests/fuzz/regressions/$target ]] && regressions=("$root/tests/fuzz/regressions/$target")
  # The first folder receives the new inputs; the seeds are read, never written.
  "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 \
    -dict="$dicts/${dict[$target]}" -artifact_prefix="$build/findings/$target-" \
    -print_final_stats=1 "$corpus" "$build/seeds-$mode/$target" "${regressions[@]}" >"$build/logs-$mode/$target.log" 2>&1
  local status=$? ran=$((SECONDS - start))
  local execs files bytes
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/logs-$mode/$target.log" | grep -o '[0-9]*$')
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(du -sb "$corpus" | cut -f1)
  local verdict="no findings"
  ((status != 0)) && verdict="FOUND: $(grep -m1 -E '==[0-9]+==ERROR|fuzz invariant|runtime error|deadly signal|timeout|out-of-memory' "$build/logs-$mode/$target.log")"
  printf '%s %s s, %s executions, corpus %s files (%s bytes; new inputs and the seeds that added coverage), %s\n' \
    "$target:" "$ran" "${execs:-?}" "$files" "$bytes" "$verdict" >"$build/logs-$mode/$target.summary"
  [[ $mode == scratch ]] && rm -rf "$corpus"
  return $status
}

failed=0
running=0
for target in $targets; do
  if ((running >= jobs)); then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run_target "$target" &
  running=$((running + 1))
done
while ((running > 0)); do
  wait -n || failed=1
  running=$((running - 1))
done

echo "fuzz: ${seconds} s per target, mode $mode"
for target in $targets; do cat "$build/logs-$mode/$target.summary"; done
if ((failed)); then
  echo "fuzz: findings above; logs in $build/logs-$mode, reproducers in $build/findings"
  for target in $targets; do
    grep -q FOUND "$build/logs-$mode/$target.summary" && tail -40 "$build/logs-$mode/$target.log"
  done
  exit 1
fi
