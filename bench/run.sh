#!/usr/bin/env bash
# Measures ccanalytics beside its peers (DuckDB, SQLite, Python) on this machine, all in one
# run, and prints a table that is also written to bench/results/<time>.md. It measures and
# reports; it asserts nothing. docs/benchmarks.md explains each figure.
#
# Environment:
#   CCANALYTICS_BIN       the binary measured (default: build/ccanalytics)
#   CCANALYTICS_DATASETS  reference datasets folder (default: ../shared/datasets from the repo)
#   BENCH_RUNS            runs of each ingest, start-up and wrk measurement; medians (default 3)
#   BENCH_REPETITIONS     requests per endpoint for the cached HTTP median (default 200)
#   BENCH_UNCACHED        requests per endpoint for the uncached HTTP median (default 30)
#   BENCH_SQL_REPETITIONS runs of each DuckDB / SQLite query after a warm-up (default 10 / 5)
#   BENCH_10M=1           also measure at ~10 M generated events (takes many minutes, ~13 GB disk)
#   BENCH_10M_SESSIONS    sessions generated for that stage (default 115000: ~87 events each)
#   BENCH_SCALE=1         also the scale curve, embedded store beside ClickHouse at 10, 50 and
#                         100 M events (bench/scale.sh, which says its own settings; hours)
#   TMPDIR                where the scratch folder goes (about 2 GB, 15 GB more with BENCH_10M)
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$bench_dir")
# shellcheck source=lib/common.sh
source "$bench_dir/lib/common.sh"

bin=${CCANALYTICS_BIN:-$repo/build/ccanalytics}
datasets=${CCANALYTICS_DATASETS:-$repo/../shared/datasets}
runs=${BENCH_RUNS:-3}
repetitions=${BENCH_REPETITIONS:-200}
uncached=${BENCH_UNCACHED:-30}
duckdb_repetitions=${BENCH_SQL_REPETITIONS:-10}
sqlite_repetitions=${BENCH_SQL_REPETITIONS:-5}
dataset=reference-100u-5000s
telemetry_gz=$datasets/$dataset/telemetry_logs.jsonl.gz
employees=$datasets/$dataset/employees.csv

[[ -x "$bin" ]] || die "no ccanalytics binary at $bin: build it (make binary) or set CCANALYTICS_BIN"
[[ -f "$telemetry_gz" && -f "$employees" ]] ||
  die "reference dataset missing: $telemetry_gz and $employees (set CCANALYTICS_DATASETS)"
for tool in node npm python3 sqlite3 wrk curl bc /usr/bin/time; do require_command "$tool"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/ccanalytics-bench.XXXXXX")
server_pid=""
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
results=$work/results.jsonl
: >"$results"


load_average() { cut -d' ' -f1-3 /proc/loadavg; }
# stage NAME: notes the 1-minute load average as a stage begins, so that the report shows
# which figures others' work on the machine may have distorted.
stage() {
  record '{"kind":"stage","name":"%s","load":%s}' "$1" "$(cut -d' ' -f1 /proc/loadavg)"
}
record '{"kind":"meta","load_start":"%s","commit":"%s","started":"%s"}' "$(load_average)" \
  "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
if awk '{ exit !($1 > 0.5) }' /proc/loadavg; then
  log "warning: load average $(load_average): the machine is busy, figures will be distorted"
fi

peers=$bench_dir/peers
if [[ ! -d "$peers/node_modules" || "$peers/package-lock.json" -nt "$peers/node_modules/.package-lock.json" ]]; then
  log "installing the DuckDB peer (npm ci in bench/peers)"
  (cd "$peers" && npm ci --no-audit --no-fund --silent)
fi

log "decompressing $dataset"
telemetry=$work/telemetry_logs.jsonl
gzip -dc "$telemetry_gz" >"$telemetry"
record '{"kind":"dataset","dataset":"%s","bytes":%d}' "$dataset" "$(stat -c %s "$telemetry")"

# --- Ingest: each system in turn within a run, so that drift in the machine spreads evenly.
store=$work/ccanalytics.db
duckdb_file=$work/peer.duckdb
stage "ingest"
for ((run = 1; run <= runs; run++)); do
  log "ingest run $run/$runs: ccanalytics (fresh store, then again into it)"
  rm -f "$store" "$store-wal" "$store-shm"
  for mode in fresh again; do
    timed "$work/ingest.out" "$bin" ingest --db "$store" --telemetry "$telemetry" \
      --employees "$employees" --json
    report=$(tail -n 1 "$work/ingest.out")
    record '{"kind":"ingest","dataset":"%s","system":"ccanalytics","mode":"%s","run":%d,"seconds":%s,"peak_rss_kb":%s,"report":%s}' \
      "$dataset" "$mode" "$run" "$timed_seconds" "$timed_rss_kb" "$report"
  done

  log "ingest run $run/$runs: DuckDB"
  timed "$work/duckdb.out" node "$peers/duckdb_peer.mjs" ingest --db "$duckdb_file" \
    --telemetry "$telemetry" --employees "$employees" --threads 2
  record '{"kind":"ingest","dataset":"%s","system":"duckdb","mode":"fresh","run":%d,"seconds":%s,"peak_rss_kb":%s,"report":%s}' \
    "$dataset" "$run" "$timed_seconds" "$timed_rss_kb" "$(cat "$work/duckdb.out")"

  log "ingest run $run/$runs: Python json.loads"
  timed "$work/python.out" python3 "$peers/python_parse.py" "$telemetry"
  record '{"kind":"ingest","dataset":"%s","system":"python","mode":"parse","run":%d,"seconds":%s,"peak_rss_kb":%s,"report":%s}' \
    "$dataset" "$run" "$timed_seconds" "$timed_rss_kb" "$(cat "$work/python.out")"
done
record '{"kind":"store","dataset":"%s","system":"ccanalytics","bytes":%d}' "$dataset" \
  "$(du -cb "$store"* | tail -n 1 | cut -f1)"
record '{"kind":"store","dataset":"%s","system":"duckdb","bytes":%d}' "$dataset" \
  "$(du -cb "$duckdb_file"* | tail -n 1 | cut -f1)"

# --- Live ingest: the same events as OTLP exports from 8 concurrent exporters, 512 records each,
# into a fresh server while a dashboard asks its questions; ClickHouse's HTTP insert of the same
# events beside it. Requests (and ClickHouse's rows) are built before the clock starts.
live_ingest() {
  local protocol=$1 run=$2 grpc_port endpoint replay_pid questions_pid cpu_before cpu_after
  rm -f "$work/live.db" "$work/live.db-wal" "$work/live.db-shm"
  grpc_port=$(free_port)
  start_server "$work/live.db" --otlp-grpc-port "$grpc_port" --otlp-max-in-flight 16
  endpoint=$server_url
  [[ "$protocol" == grpc ]] && endpoint=http://127.0.0.1:$grpc_port
  nice -n 10 "$bin" replay --telemetry "$telemetry" --protocol "$protocol" --exporters 8 --batch 512 \
    --as-fast-as-possible --preload --endpoint "$endpoint" >"$work/replay.json" 2>"$work/replay.err" &
  replay_pid=$!
  until grep -q 'sending$' "$work/replay.err"; do
    kill -0 "$replay_pid" 2>/dev/null || { cat "$work/replay.err" >&2; die "replay exited early"; }
    sleep 0.01
  done
  cpu_before=$(server_cpu_seconds)
  node "$bench_dir/lib/live_questions.mjs" --base "$server_url" >"$work/questions.json" &
  questions_pid=$!
  wait "$replay_pid" || { cat "$work/replay.err" >&2; die "replay over $protocol failed"; }
  cpu_after=$(server_cpu_seconds)
  kill -TERM "$questions_pid"
  wait "$questions_pid"
  # Every event visible, once: what the server answers is checked against the file's count.
  until [[ $(curl -sf "$server_url/health" | json_field refresh_pending) == false ]]; do
    kill -0 "$server_pid" 2>/dev/null || die "ccanalytics serve exited during live ingest"
    sleep 0.01
  done
  record '{"kind":"live","system":"ccanalytics","protocol":"%s","run":%d,"replay":%s,"cpu_seconds":%s,"questions":%s,"stored_events":%s}' \
    "$protocol" "$run" "$(cat "$work/replay.json")" "$(echo "$cpu_after - $cpu_before" | bc)" \
    "$(cat "$work/questions.json")" "$(curl -sf "$server_url/api/v1/summary" | json_field events)"
  stop_server
}
stage "live ingest"
for ((run = 1; run <= runs; run++)); do
  for protocol in http/protobuf grpc; do
    log "live ingest run $run/$runs: ccanalytics, OTLP $protocol, 8 exporters"
    live_ingest "$protocol" "$run"
  done
  log "live ingest run $run/$runs: ClickHouse, HTTP INSERT JSONEachRow, 8 inserters"
  record '{"kind":"live","system":"clickhouse","protocol":"http JSONEachRow","run":%d,"data":%s}' "$run" \
    "$(node "$peers/clickhouse_insert_peer.mjs" --telemetry "$telemetry" --concurrency 8 --batch 512 --work "$work")"
done
rm -f "$telemetry" "$work/live.db"*

# The 14-day filter ends on the data's last day; every system is asked about the same days.
window_answer=$(node "$peers/duckdb_peer.mjs" window --db "$duckdb_file")
window=$(json_field window <<<"$window_answer")
record '{"kind":"meta","duckdb_version":"%s","python_version":"%s","wrk_version":"%s"}' \
  "$(json_field version <<<"$window_answer")" "$(python3 -c 'import platform; print(platform.python_version())')" \
  "$(wrk -v 2>&1 | awk 'NR == 1 { print $2 }')"

# The peers answer before the server is measured: wrk, last, drives the load average to ~10,
# and the load noted as each stage begins should tell of others' work, not of this run's.
log "DuckDB: the same questions in SQL ($duckdb_repetitions runs each)"
stage "DuckDB queries"
record '{"kind":"duckdb_queries","dataset":"%s","data":%s}' "$dataset" "$(node "$peers/duckdb_peer.mjs" \
  queries --db "$duckdb_file" --window "$window" --repetitions "$duckdb_repetitions" --threads 2)"
log "SQLite: the same questions in SQL over the ccanalytics store ($sqlite_repetitions runs each)"
stage "SQLite queries"
record '{"kind":"sqlite_queries","dataset":"%s","data":%s}' "$dataset" "$(node "$bench_dir/lib/sqlite_queries.mjs" \
  --db "$store" --window "$window" --repetitions "$sqlite_repetitions")"
rm -f "$duckdb_file"*

# measure_server DATASET STORE: start-up, endpoint latencies, memory and throughput.
measure_server() {
  local name=$1 db=$2
  stage "server, $name"
  for ((run = 1; run <= runs; run++)); do
    log "$name: server start-up $run/$runs"
    start_server "$db"
    record '{"kind":"startup","dataset":"%s","run":%d,"health_ms":%d,"summary_ms":%d}' \
      "$name" "$run" "$startup_health_ms" "$startup_summary_ms"
    ((run == runs)) || stop_server
  done
  record '{"kind":"rss","dataset":"%s","when":"after start-up","rss_kb":%d}' "$name" "$(server_rss_kb)"

  log "$name: endpoint latencies over HTTP ($repetitions cached, $uncached uncached each)"
  local window_option=()
  if [[ "$name" == "$dataset" ]]; then window_option=(--window "$window"); fi
  node "$bench_dir/lib/http_latency.mjs" --base "$server_url" "${window_option[@]}" \
    --repetitions "$repetitions" --uncached "$uncached" >"$work/http.json"
  record '{"kind":"http","dataset":"%s","data":%s}' "$name" "$(cat "$work/http.json")"
  record '{"kind":"rss","dataset":"%s","when":"after the queries","rss_kb":%d}' "$name" "$(server_rss_kb)"

  for ((run = 1; run <= runs; run++)); do
    log "$name: wrk -t2 -c32 -d10s /api/v1/summary ($run/$runs)"
    wrk -t2 -c32 -d10s --latency "$server_url/api/v1/summary" >"$work/wrk.txt"
    record '{"kind":"wrk","dataset":"%s","run":%d,%s}' "$name" "$run" "$(awk '
      function ms(v) {
        if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000
        return v
      }
      $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
      /^Requests\/sec:/ { rps = $2 } /Non-2xx/ { bad = $NF } /^Socket errors/ { errors = $0 }
      END { printf "\"rps\":%s,\"p50_ms\":%s,\"p99_ms\":%s,\"non_2xx\":%d,\"socket_errors\":\"%s\"",
              rps + 0, p50 + 0, p99 + 0, bad + 0, errors }' "$work/wrk.txt")"
  done
  record '{"kind":"rss","dataset":"%s","when":"after wrk","rss_kb":%d}' "$name" "$(server_rss_kb)"
  stop_server
}

measure_server "$dataset" "$store"

# --- Insights: each method's backtest and findings and the time to answer, on the reference data
# (no planted incidents) and on generated data with a trend, a weekly rhythm and planted incidents
# (scenarios/incidents.json). Both end before now: their histories end where their data does.
measure_insights() {
  local name=$1 db=$2
  stage "insights, $name"
  log "$name: insights ($uncached requests each)"
  start_server "$db"
  record '{"kind":"insights","dataset":"%s","events":%d,"data":%s}' "$name" \
    "$(curl -sf "$server_url/health" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).events))')" \
    "$(node "$bench_dir/lib/insights.mjs" --base "$server_url" --repetitions "$uncached")"
  stop_server
}
measure_insights "$dataset" "$store"
scenario_data=$work/scenario
log "scenario: generating 3,000 sessions of 60 users over 60 days with scenarios/incidents.json"
"$bin" generate --output-dir "$scenario_data" --num-users 60 --num-sessions 3000 --days 60 \
  --scenario "$repo/scenarios/incidents.json" >/dev/null
"$bin" ingest --db "$work/scenario.db" --telemetry "$scenario_data/telemetry_logs.jsonl" \
  --employees "$scenario_data/employees.csv" >/dev/null
rm -rf "$scenario_data"
measure_insights "incidents-60u-3000s" "$work/scenario.db"

if [[ "${BENCH_10M:-0}" == 1 ]]; then
  generated=$work/generated-10m
  sessions=${BENCH_10M_SESSIONS:-115000}
  log "10M: generating $sessions sessions of 1,000 users over 90 days"
  stage "10M generate"
  timed "$work/generate.out" "$bin" generate --output-dir "$generated" --num-sessions "$sessions" \
    --num-users 1000 --days 90
  record '{"kind":"generate","dataset":"generated-10m","sessions":%d,"seconds":%s,"bytes":%d}' \
    "$sessions" "$timed_seconds" "$(stat -c %s "$generated/telemetry_logs.jsonl")"
  log "10M: ingest"
  stage "10M ingest"
  timed "$work/ingest.out" "$bin" ingest --db "$work/10m.db" --telemetry "$generated/telemetry_logs.jsonl" \
    --employees "$generated/employees.csv" --json
  record '{"kind":"ingest","dataset":"generated-10m","system":"ccanalytics","mode":"fresh","run":1,"seconds":%s,"peak_rss_kb":%s,"report":%s}' \
    "$timed_seconds" "$timed_rss_kb" "$(tail -n 1 "$work/ingest.out")"
  rm -rf "$generated"
  measure_server generated-10m "$work/10m.db"
fi

record '{"kind":"meta","load_end":"%s","finished":"%s"}' "$(load_average)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

mkdir -p "$bench_dir/results"
if [[ "${BENCH_SCALE:-0}" == 1 ]]; then
  log "scale curve (bench/scale.sh)"
  bash "$bench_dir/scale.sh"
fi
stamp=$(date -u +%Y%m%dT%H%M%SZ)
cp "$results" "$bench_dir/results/$stamp.jsonl"
node "$bench_dir/lib/report.mjs" "$results" | tee "$bench_dir/results/$stamp.md"
log "written: bench/results/$stamp.md (raw figures: bench/results/$stamp.jsonl)"
