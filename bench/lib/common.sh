# Helpers for bench/run.sh: logging, timing of whole commands, and the server's lifecycle.
# Sourced, not run. Expects $work (the run's scratch folder) to be set by the caller.

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

die() {
  printf 'bench: %s\n' "$*" >&2
  exit 1
}

require_command() {
  command -v "$1" >/dev/null || die "$1 is missing; run 'make bench', which installs it (scripts/install-deps.sh --bench)"
}

# One field of the JSON object on stdin: json_field '.a.b' (a path of object keys).
json_field() {
  node -e '
    let text = "";
    process.stdin.on("data", (d) => (text += d)).on("end", () => {
      let value = JSON.parse(text);
      for (const key of process.argv[1].split(".").filter(Boolean)) value = value?.[key];
      console.log(typeof value === "object" ? JSON.stringify(value) : value);
    });' "$1"
}

# record FORMAT ARGS...: one JSON object per line into the run's results ($results).
record() {
  # shellcheck disable=SC2059
  printf "$1\n" "${@:2}" >>"$results"
}

# timed OUTPUT_FILE COMMAND...: runs the command with its stdout in OUTPUT_FILE and sets
# timed_seconds (wall) and timed_rss_kb (peak resident set of the process).
timed() {
  local output=$1
  shift
  local measure="$work/time.txt"
  if ! /usr/bin/time -f '%e %M' -o "$measure" "$@" >"$output" 2>"$output.err"; then
    cat "$output.err" >&2
    die "failed: $*"
  fi
  read -r timed_seconds timed_rss_kb <"$measure"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# start_server DB [SERVE_OPTIONS...]: starts `ccanalytics serve` on a free loopback port (no
# gRPC unless the options give --otlp-grpc-port) and waits until /health answers 200. Sets
# server_pid, server_url, startup_health_ms and startup_summary_ms (start to the first answer of
# /health, and of /api/v1/summary, polled every 10 ms).
start_server() {
  launch_server "$@" || die "ccanalytics serve exited (status $server_exit_status) before answering /health"
}

# launch_server: start_server, but a server that exits before answering returns 1 with
# server_exit_status set (137: killed, as by the kernel when memory runs out) instead of ending
# the run.
launch_server() {
  local db=$1 port started
  shift
  local options=("$@")
  ((${#options[@]})) || options=(--otlp-grpc-port 0)
  port=$(free_port)
  server_url="http://127.0.0.1:$port"
  started=$(now_ms)
  "$bin" serve --db "$db" --host 127.0.0.1 --port "$port" "${options[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
  until curl -sf -o /dev/null "$server_url/health"; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      server_exit_status=0
      wait "$server_pid" || server_exit_status=$?
      tail -n 20 "$work/server.log" >&2
      server_pid=""
      return 1
    fi
    if (($(now_ms) - started > 900000)); then die "ccanalytics serve did not answer /health in 15 min"; fi
    sleep 0.01
  done
  startup_health_ms=$(($(now_ms) - started))
  until curl -sf -o /dev/null "$server_url/api/v1/summary"; do
    if (($(now_ms) - started > 900000)); then die "/api/v1/summary did not answer 200 in 15 min"; fi
    sleep 0.01
  done
  startup_summary_ms=$(($(now_ms) - started))
}

stop_server() {
  if [[ -n "${server_pid:-}" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}

# CPU time (user + system) the server has used so far, in seconds.
server_cpu_seconds() {
  awk -v tck="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tck }' "/proc/$server_pid/stat"
}

# Resident set size of the server now, and the most it has had, in kB.
server_rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }
server_peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status"; }
