#!/usr/bin/env bash
# The scale curve: the embedded store and ClickHouse fed the same generated events, 10 M at a
# time, and measured at each size of BENCH_SCALE_SIZES: ingest throughput, the embedded server's
# start-up and memory, and every dashboard question (bench/lib/scale_questions.mjs) on both.
# bench/run.sh runs it when BENCH_SCALE=1; it also runs on its own:
#
#   bash bench/scale.sh
#
#   BENCH_SCALE_SIZES        sizes measured, in millions of events, ascending (default "10 50 100")
#   BENCH_SCALE_REPETITIONS  uncached requests per question and filter (default 5)
#   BENCH_SCALE_MIN_FREE_GB  free disk kept; the curve stops before a chunk would go below it,
#                            and says so (default 20)
#   BENCH_SCALE_SETTLE_MAX   seconds to wait, at each size, for ClickHouse's merges to settle
#                            before asking the questions again (default 1800)
#   BENCH_SCALE_KEEP_CLICKHOUSE  a folder to move ClickHouse's data folder to at the end, to look
#                            into the store afterwards (default: deleted with the rest)
#   CCANALYTICS_BIN, TMPDIR  as for bench/run.sh
#
# Each 10 M chunk is `ccanalytics generate --num-sessions 115000 --num-users 1000 --days 90
# --seed N --people-seed 1` (about 10.3 M events, 12.4 GB of JSONL, deleted once both stores have
# it): the same 1,000 people, all in the directory, over the same 90 days, busier with each chunk.
# (With the seed alone each chunk drew 1,000 people of its own: at 100 M events 1,918 people, the
# directory listing the last chunk's.) Writes bench/results/scale-<time>.md and .jsonl.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$bench_dir")
bin=${CCANALYTICS_BIN:-$repo/build/ccanalytics}
read -r -a sizes <<<"${BENCH_SCALE_SIZES:-10 50 100}"
repetitions=${BENCH_SCALE_REPETITIONS:-5}
min_free_gb=${BENCH_SCALE_MIN_FREE_GB:-20}
readonly kChunkSessions=115000 kChunkMillions=10

work=$(mktemp -d "${TMPDIR:-/tmp}/ccanalytics-scale.XXXXXX")
settle_max=${BENCH_SCALE_SETTLE_MAX:-1800}
# shellcheck source=bench/lib/common.sh
source "$bench_dir/lib/common.sh"
[[ -x "$bin" ]] || die "no binary at $bin: build first (make build)"
for tool in node curl /usr/bin/time; do require_command "$tool"; done

clickhouse_dir=$work/clickhouse
# A curve that fails keeps what it measured and ClickHouse's logs (the last 200,000 lines of the
# server log, which times every query) in bench/results/scale-failed-<time>.*.
cleanup() {
  local status=$?
  stop_server
  "$repo/scripts/clickhouse.sh" stop "$clickhouse_dir" 2>/dev/null || true
  if ((status != 0)); then
    local kept
    kept=$bench_dir/results/scale-failed-$(date -u +%Y%m%dT%H%M%SZ)
    mkdir -p "$bench_dir/results"
    cp "${results:-}" "$kept.jsonl" 2>/dev/null || true
    cp "$clickhouse_dir/server.err.log" "$kept.clickhouse.err.log" 2>/dev/null || true
    tail -n 200000 "$clickhouse_dir/server.log" >"$kept.clickhouse.log" 2>/dev/null || true
    log "failed (status $status): kept $kept.*"
  fi
  if [[ -n "${BENCH_SCALE_KEEP_CLICKHOUSE:-}" && -d $clickhouse_dir/data ]]; then
    mv "$clickhouse_dir/data" "$BENCH_SCALE_KEEP_CLICKHOUSE"
    log "ClickHouse's data folder moved to $BENCH_SCALE_KEEP_CLICKHOUSE"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
results=$work/results.jsonl
: >"$results"

machine="$(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB"
record '{"kind":"meta","machine":"%s","commit":"%s","started":"%s","load":"%s"}' "$machine" \
  "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cut -d' ' -f1-3 /proc/loadavg)"

log "starting ClickHouse in $clickhouse_dir"
clickhouse_url="$("$repo/scripts/clickhouse.sh" start "$clickhouse_dir")?database=scale"
db=$work/scale.db

# clickhouse_questions SIZE STORE: every question, answered from ClickHouse, recorded as STORE.
clickhouse_questions() {
  start_server "$work/control.db" --otlp-grpc-port 0 --clickhouse "$clickhouse_url"
  record '{"kind":"questions","size":%d,"store":"%s","data":%s}' "$1" "$2" \
    "$(node "$bench_dir/lib/scale_questions.mjs" --base "$server_url" --repetitions "$repetitions")"
  stop_server
}

# wait_for_merges: waits until ClickHouse has run no merge for 30 s in a row, or settle_max
# seconds have passed; prints the seconds waited.
wait_for_merges() {
  local started=$SECONDS quiet=0 running
  while ((quiet < 6 && SECONDS - started < settle_max)); do
    sleep 5
    running=$(curl -sS "${clickhouse_url%%\?*}" --data-binary "SELECT count() FROM system.merges")
    if [[ $running == 0 ]]; then ((quiet += 1)); else quiet=0; fi
  done
  echo $((SECONDS - started))
}

# measure SIZE: both stores' servers at this size. An embedded server that cannot start (its
# first start builds the column snapshot, which needs memory in proportion to the events) is
# recorded as such, and ClickHouse is measured all the same.
measure() {
  local size=$1 store
  for run in first again; do
    log "${size} M: embedded server start-up ($run)"
    if ! launch_server "$db" --otlp-grpc-port 0; then
      log "${size} M: the embedded server exited with status $server_exit_status while starting"
      record '{"kind":"startup_failed","size":%d,"run":"%s","exit_status":%d}' "$size" "$run" \
        "$server_exit_status"
      break
    fi
    record '{"kind":"startup","size":%d,"run":"%s","summary_ms":%d,"rss_kb":%d,"peak_rss_kb":%d}' \
      "$size" "$run" "$startup_summary_ms" "$(server_rss_kb)" "$(server_peak_rss_kb)"
    [[ $run == again ]] || stop_server
  done
  if [[ -n "${server_pid:-}" ]]; then
    log "${size} M: embedded questions"
    record '{"kind":"questions","size":%d,"store":"embedded","data":%s}' "$size" \
      "$(node "$bench_dir/lib/scale_questions.mjs" --base "$server_url" --repetitions "$repetitions")"
    record '{"kind":"rss","size":%d,"rss_kb":%d}' "$size" "$(server_rss_kb)"
    stop_server
  fi
  # ClickHouse twice: right after the bulk ingest, while it still merges the parts the inserts
  # made (a store fed at a fleet's pace is rarely in that state), and once the merges settle.
  log "${size} M: ClickHouse questions, right after the ingest"
  clickhouse_questions "$size" clickhouse
  log "${size} M: waiting for ClickHouse's merges to settle (at most ${settle_max} s)"
  local waited
  waited=$(wait_for_merges)
  record '{"kind":"settled","size":%d,"seconds":%d}' "$size" "$waited"
  log "${size} M: ClickHouse questions, merges settled after ${waited} s"
  clickhouse_questions "$size" "clickhouse settled"
  for store in "$db" "$clickhouse_dir/data"; do
    record '{"kind":"disk","size":%d,"path":"%s","bytes":%d}' "$size" "$(basename "$store")" \
      "$(du -cb "$store"* | tail -n 1 | cut -f1)"
  done
}

chunks=0
for size in "${sizes[@]}"; do
  while ((chunks * kChunkMillions < size)); do
    free_gb=$(df -BG --output=avail "$work" | tail -n 1 | tr -dc 0-9)
    if ((free_gb < min_free_gb + 14)); then
      log "stopping at $((chunks * kChunkMillions)) M: ${free_gb} GB free, a chunk needs about 14"
      record '{"kind":"stopped","millions":%d,"free_gb":%d}' "$((chunks * kChunkMillions))" "$free_gb"
      break 2
    fi
    ((chunks += 1))
    chunk=$work/chunk
    log "chunk $chunks: generating"
    timed "$work/generate.out" "$bin" generate --output-dir "$chunk" --num-sessions "$kChunkSessions" \
      --num-users 1000 --days 90 --seed "$chunks" --people-seed 1
    for store in embedded clickhouse; do
      log "chunk $chunks: ingest into $store"
      target=(--db "$db")
      [[ $store == clickhouse ]] && target=(--clickhouse "$clickhouse_url")
      timed "$work/ingest.out" "$bin" ingest "${target[@]}" --telemetry "$chunk/telemetry_logs.jsonl" \
        --employees "$chunk/employees.csv" --json
      record '{"kind":"ingest","chunk":%d,"store":"%s","seconds":%s,"peak_rss_kb":%s,"report":%s}' \
        "$chunks" "$store" "$timed_seconds" "$timed_rss_kb" "$(tail -n 1 "$work/ingest.out")"
    done
    rm -rf "$chunk"
  done
  measure "$size"
done

mkdir -p "$bench_dir/results"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
cp "$results" "$bench_dir/results/scale-$stamp.jsonl"
node "$bench_dir/lib/scale_report.mjs" "$results" | tee "$bench_dir/results/scale-$stamp.md"
log "written: bench/results/scale-$stamp.md"
