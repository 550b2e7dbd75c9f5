#!/usr/bin/env bash
# Throwaway ClickHouse servers for tests: loopback only, everything (config, data, logs, pid)
# inside a folder the caller names, on free ports. Debian 12's clickhouse-server (18.16) and,
# for the cluster, ZooKeeper from the zookeeperd package (scripts/install-deps.sh --cluster).
# Never touches the system services or /etc.
#
# Usage:
#   scripts/clickhouse.sh start DIR [HTTP_PORT]   one server; prints its URL (http://127.0.0.1:PORT/)
#   scripts/clickhouse.sh stop DIR                stops it; DIR and its data stay
#   scripts/clickhouse.sh cluster-start DIR       ZooKeeper + 2 shards x 2 replicas; prints 4 URLs
#   scripts/clickhouse.sh cluster-stop DIR        stops the cluster; DIR stays
#   scripts/clickhouse.sh kill-node DIR N         kill -9 cluster server N (1..4)
#   scripts/clickhouse.sh restart-node DIR N      starts server N again on its ports and data
#   scripts/clickhouse.sh query URL SQL           runs SQL over HTTP (settings as URL parameters:
#                                                 URL?insert_quorum=2); prints the answer, or
#                                                 the error to stderr with exit status 1
#
# Only URLs go to stdout (so `url=$(scripts/clickhouse.sh start DIR)` works); progress and
# errors go to stderr. Exit status 0 means the server(s) answer.
#
# One server (start): DIR/config.xml, DIR/users.xml, DIR/data/, DIR/server.log,
# DIR/server.err.log, DIR/server.pid, DIR/url (the URL, once the server answers),
# DIR/http_port, DIR/tcp_port (for clickhouse-client).
# `start` stops a server a previous run left in DIR and begins with empty data.
#
# Cluster (cluster-start): DIR/zookeeper/ (zoo.cfg, data, zookeeper.log, zookeeper.pid) and
# DIR/node1 .. DIR/node4, each laid out as one server above plus config.d/cluster.xml, in the
# order shard1-replica1, shard1-replica2, shard2-replica1, shard2-replica2. DIR/urls holds the
# four URLs, one a line, in that order. The cluster is named `ccanalytics` (remote_servers,
# internal_replication true); every server has the macros {shard} (1, 2) and {replica}
# (s1r1, s1r2, s2r1, s2r2). A C++ test drives it with run_command("scripts/clickhouse.sh
# cluster-start DIR"), reads DIR/urls, and uses kill-node / restart-node / cluster-stop.
#
# Environment: CLICKHOUSE_SERVER (the server binary), JAVA (the java binary for ZooKeeper),
# CLICKHOUSE_START_TIMEOUT (seconds to wait for /ping; default 30), CLICKHOUSE_QUERY_TIMEOUT
# (seconds `query` waits for an answer; default 300).
set -euo pipefail

readonly kStartTimeout="${CLICKHOUSE_START_TIMEOUT:-30}"
readonly kStopTimeout=10
# Ports are drawn below Linux's ephemeral range (32768-60999 by default), so that outgoing
# connections of other programs cannot be holding them, and above the common service ports.
readonly kPortLow=20000 kPortHigh=32000
readonly kZooKeeperJars=/usr/share/java
# The cluster's ZooKeeper session timeout. A server killed with -9 keeps its replicas'
# is_active nodes until its session expires; a replica started again before that refuses to
# replicate ("appears to be already active") and retries only later, so restart-node waits it
# out. Short, for quick replica-failure tests; long enough that a busy two-core machine does
# not expire live sessions.
readonly kSessionTimeoutSeconds=10

log() { printf 'clickhouse.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
  sed -n '/^# Usage:/,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

server_binary() {
  if [[ -n "${CLICKHOUSE_SERVER:-}" ]]; then
    [[ -x "$CLICKHOUSE_SERVER" ]] || die "CLICKHOUSE_SERVER=$CLICKHOUSE_SERVER is not executable"
    echo "$CLICKHOUSE_SERVER"
    return
  fi
  # Debian installs the server under /usr/sbin, which is not on every user's PATH.
  local candidate
  for candidate in "$(command -v clickhouse-server || true)" \
      /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
    [[ -n "$candidate" && -x "$candidate" ]] && { echo "$candidate"; return; }
  done
  die "no clickhouse-server found: run scripts/install-deps.sh"
}

# --- ports -------------------------------------------------------------------------------

# True when something accepts connections on 127.0.0.1:PORT (a listener on 0.0.0.0 counts too).
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Ports handed out by this attempt, so that one attempt never gives the same port twice, and
# ports a server of this run could not bind; new_attempt forgets the former only.
picked_ports=" "
taken_ports=" "
new_attempt() { picked_ports=$taken_ports; }

# pick_port VAR: sets VAR to a port nobody listens on now (not in a $(...) subshell, which
# would forget picked_ports). Two runs may still draw the same port at the same moment; the
# start functions notice "Address already in use" and draw again.
pick_port() {
  local port tries
  for ((tries = 0; tries < 200; tries++)); do
    port=$((kPortLow + (RANDOM * 32768 + RANDOM) % (kPortHigh - kPortLow)))
    [[ "$picked_ports" == *" $port "* ]] && continue
    port_in_use "$port" && continue
    picked_ports+="$port "
    printf -v "$1" '%s' "$port"
    return
  done
  die "found no free port in $kPortLow-$kPortHigh"
}

# --- HTTP over bash's /dev/tcp, so that the scripts need neither curl nor the client --------

# Seconds to wait for an answer: short for the readiness checks, longer for `query`.
http_timeout=30

# http_post PORT SQL [PARAMS]: prints the body and succeeds when ClickHouse answered 200.
# PARAMS is a URL query string of settings (insert_quorum=2&...). HTTP/1.0, so that the
# server closes the connection after the answer and no chunked encoding is involved. When
# there is no answer it prints why: no connection, no reply in time, or a connection closed
# without a reply (a server that died while answering).
http_post() {
  local port=$1 sql=$2 params=${3:-}
  (
    if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
      printf 'nothing accepts connections on port %s' "$port"
      exit 1
    fi
    printf 'POST /%s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n%s' \
      "${params:+?$params}" "$(printf '%s' "$sql" | wc -c)" "$sql" >&3
    # The trailing x keeps $(...) from eating the end of the headers when the body is empty.
    if ! reply=$(timeout "$http_timeout" cat <&3 && echo x); then
      printf 'no reply on port %s within %ss' "$port" "$http_timeout"
      exit 1
    fi
    reply=${reply%x}
    if [[ -z "$reply" ]]; then
      printf 'port %s closed the connection without a reply' "$port"
      exit 1
    fi
    status=${reply%%$'\r'*}
    printf '%s' "${reply#*$'\r\n\r\n'}"
    [[ "$status" == "HTTP/1."?" 200"* ]]
  ) 2>/dev/null
}

ping_ok() {
  local reply
  reply=$(
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'GET /ping HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
    timeout 5 cat <&3
  ) || return 1
  [[ "$reply" == *$'\r\n\r\n'"Ok."* ]]
}

# --- processes ---------------------------------------------------------------------------

# pid_alive PIDFILE PATTERN: the pid in PIDFILE runs and its command line holds PATTERN (a path
# inside our folder), so that a reused pid of an unrelated process is never signalled.
pid_alive() {
  local pidfile=$1 pattern=$2 pid
  [[ -f "$pidfile" ]] || return 1
  pid=$(<"$pidfile")
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$pattern"
}

# wait_exec PIDFILE PATTERN: after `( ... exec setsid PROGRAM ...) &`, until the child has
# become PROGRAM (its command line holds PATTERN), so that pid_alive can tell it from the forked
# shell, which it cannot for a moment (on a busy machine, long enough to mistake a starting
# server for a dead one). Not while it is still setsid, whose command line holds PATTERN too:
# setsid then execs PROGRAM, and a command line read in the middle of that exec is empty (3 of
# 200 readings on this machine under load; a clean-clone `make test` beside a bulk load took a
# server that went on to answer for one that had exited). Fails when the child is gone first.
wait_exec() {
  local pidfile=$1 pattern=$2 pid state program i
  pid=$(<"$pidfile")
  for ((i = 0; i < kStartTimeout * 100; i++)); do
    program=$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | head -n 1) || program=""
    [[ "$program" != setsid && "$program" != */setsid ]] && pid_alive "$pidfile" "$pattern" &&
      return 0
    state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) || state=""
    [[ -n "$state" && "$state" != Z ]] || return 1
    sleep 0.01
  done
  return 1
}

# stop_pid PIDFILE PATTERN NAME: TERM, up to kStopTimeout seconds, then KILL.
stop_pid() {
  local pidfile=$1 pattern=$2 name=$3 pid i
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    return 0
  fi
  pid=$(<"$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < kStopTimeout * 10; i++)); do
    pid_alive "$pidfile" "$pattern" || break
    sleep 0.1
  done
  if pid_alive "$pidfile" "$pattern"; then
    log "$name ($pid) still running after ${kStopTimeout}s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    while pid_alive "$pidfile" "$pattern"; do sleep 0.1; done
  fi
  rm -f "$pidfile"
}

# --- one ClickHouse server ----------------------------------------------------------------

# A server's command line vanishes from /proc as soon as its main thread is gone, while its
# other threads may still hold its files for a moment: among them the flock on data/status,
# which makes a server started at once in the same folder fail ("Another server instance in
# same directory is already running"). So a stop or kill is over when that lock is free.
wait_data_unlocked() {
  local status=$1/data/status i
  for ((i = 0; i < kStopTimeout * 20; i++)); do
    [[ -e "$status" ]] || return 0
    flock -n "$status" true 2>/dev/null && return 0
    sleep 0.05
  done
  log "$1: data/status still locked ${kStopTimeout}s after the server stopped"
  return 1
}

# stop_server DIR NAME
stop_server() {
  stop_pid "$1/server.pid" "$1/config.xml" "$2"
  wait_data_unlocked "$1"
}

# write_server_config DIR HTTP_PORT TCP_PORT INTERSERVER_PORT
write_server_config() {
  local dir=$1 http=$2 tcp=$3 interserver=$4
  # The interserver port is how replicas fetch parts from each other; its host must be the
  # loopback address, since the default (the machine's hostname) may resolve elsewhere.
  # UTC, so that Date columns and toDate() do not depend on the machine's time zone.
  cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by scripts/clickhouse.sh; rewritten on every start. -->
<yandex>
  <logger>
    <level>information</level>
    <log>$dir/server.log</log>
    <errorlog>$dir/server.err.log</errorlog>
    <size>100M</size>
    <count>1</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$http</http_port>
  <tcp_port>$tcp</tcp_port>
  <interserver_http_port>$interserver</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>$dir/data/</path>
  <tmp_path>$dir/tmp/</tmp_path>
  <user_files_path>$dir/user_files/</user_files_path>
  <format_schema_path>$dir/format_schemas/</format_schema_path>
  <users_config>$dir/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <!-- As Debian's configuration has it: the queries that ask for it (use_uncompressed_cache)
       keep the blocks they read decompressed. -->
  <uncompressed_cache_size>8589934592</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <!-- On TERM the server waits this long (default 5 s) for open connections, which the
       other servers of a cluster keep to it in their pools. -->
  <shutdown_wait_unfinished>1</shutdown_wait_unfinished>
</yandex>
EOF
  # max_threads 2: the machine has two cores, and 18.16 detects one here.
  # output_format_json_quote_64bit_integers is left at the server's default (quoted): a
  # production server has the default, so a client that wants numbers must ask per query.
  cat >"$dir/users.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by scripts/clickhouse.sh; rewritten on every start. -->
<yandex>
  <profiles>
    <default>
      <max_threads>2</max_threads>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default></default></quotas>
</yandex>
EOF
  echo "$tcp" >"$dir/tcp_port"
  echo "$http" >"$dir/http_port"
}

# launch_server DIR: starts the server of DIR's config in the background, in a session of its
# own (a Ctrl-C meant for the caller does not reach it), with no descriptor of ours open:
# ctest waits for a test's output pipes to close, and would wait for the server.
launch_server() {
  local dir=$1 binary
  binary=$(server_binary)
  mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
  (cd "$dir" && exec setsid "$binary" --config-file="$dir/config.xml" \
    </dev/null >>"$dir/stdout.log" 2>&1) &
  echo $! >"$dir/server.pid"
  wait_exec "$dir/server.pid" "$dir/config.xml" || true  # wait_server reports a failure
}

# wait_server DIR: until /ping answers; on failure prints the logs' tails and returns 1, or 2
# when the server died for a port someone else holds (the caller may draw new ports).
wait_server() {
  local dir=$1 port deadline
  port=$(<"$dir/http_port")
  deadline=$((SECONDS + kStartTimeout))
  while ! ping_ok "$port"; do
    if ! pid_alive "$dir/server.pid" "$dir/config.xml"; then
      if grep -qs "Address already in use" "$dir/server.err.log" "$dir/stdout.log"; then
        # "Net Exception: Address already in use: 127.0.0.1:PORT"
        taken_ports+="$(grep -ohs 'Address already in use: [0-9.]*:[0-9]*' \
          "$dir/server.err.log" "$dir/stdout.log" | sed 's/.*://' | sort -u | tr '\n' ' ')"
        rm -f "$dir/server.pid"
        return 2
      fi
      log "clickhouse-server of $dir exited before answering /ping"
      show_logs "$dir"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "clickhouse-server of $dir did not answer /ping on port $port within ${kStartTimeout}s"
      show_logs "$dir"
      return 1
    fi
    sleep 0.1
  done
  # Written only now, so that a URL file always names a server that answered.
  echo "http://127.0.0.1:$port/" >"$dir/url"
}

show_logs() {
  local dir=$1 file
  for file in "$dir/stdout.log" "$dir/server.err.log" "$dir/server.log"; do
    [[ -s "$file" ]] || continue
    log "--- last lines of $file"
    tail -n 30 "$file" >&2
  done
}

# Removes what a server wrote into DIR, keeping DIR itself and anything else in it.
clear_server_dir() {
  local dir=$1
  rm -rf "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/format_schemas"
  rm -f "$dir/server.log" "$dir/server.err.log" "$dir/stdout.log" "$dir/url"
  mkdir -p "$dir"
}

# The folder as an absolute path (the configs need one), made if missing. Not / : start and
# cluster-start empty their data folders.
abs_dir() {
  local dir
  [[ -n "$1" ]] || die "DIR must not be empty"
  mkdir -p "$1"
  dir=$(cd "$1" && pwd)
  [[ "$dir" != / ]] || die "DIR must not be /"
  echo "$dir"
}

cmd_start() {
  local dir http_arg=${2:-} http tcp interserver attempt status
  dir=$(abs_dir "$1")
  [[ -z "$http_arg" || "$http_arg" =~ ^[0-9]+$ ]] || die "HTTP_PORT must be a number: $http_arg"
  stop_server "$dir" clickhouse-server
  # Whatever ends this run early leaves no server behind. (Expanded now: the trap runs after
  # this function's locals are gone.)
  # shellcheck disable=SC2064
  trap "stop_server $(printf '%q' "$dir") clickhouse-server" EXIT
  for attempt in 1 2 3 4 5; do
    new_attempt
    clear_server_dir "$dir"
    if [[ -n "$http_arg" ]]; then http=$http_arg; else pick_port http; fi
    pick_port tcp
    pick_port interserver
    write_server_config "$dir" "$http" "$tcp" "$interserver"
    launch_server "$dir"
    status=0
    wait_server "$dir" || status=$?
    if ((status == 0)); then
      trap - EXIT
      cat "$dir/url"
      return 0
    fi
    ((status == 2)) || exit 1
    [[ -z "$http_arg" ]] || { show_logs "$dir"; die "HTTP port $http_arg (or another) is in use"; }
    log "a port was taken (attempt $attempt); drawing new ports"
  done
  die "no free ports after 5 attempts"
}

cmd_stop() {
  local dir
  [[ -d "$1" ]] || return 0
  dir=$(cd "$1" && pwd)
  stop_server "$dir" clickhouse-server
}

# --- ZooKeeper --------------------------------------------------------------------------

# ZooKeeper's four-letter `srvr` names the server's mode once it serves sessions. Not `ruok`:
# that answers "imok" while the server is still starting and refuses sessions ("ZooKeeperServer
# not running"), and a ClickHouse 18.16 server whose DDL worker is refused at start dies of a
# null pointer a moment later.
zookeeper_ok() {
  local reply
  reply=$(
    exec 2>/dev/null
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf 'srvr' >&3
    timeout 5 cat <&3
  ) || return 1
  [[ "$reply" == *"Mode: standalone"* ]]
}

# start_zookeeper ZKDIR PORT: one standalone ZooKeeper from the zookeeperd package's jars (the
# system service and /etc/zookeeper are not used). Returns 2 when the port was taken.
start_zookeeper() {
  local zkdir=$1 port=$2 java deadline
  java=${JAVA:-$(command -v java || true)}
  [[ -n "$java" && -r "$kZooKeeperJars/zookeeper.jar" ]] ||
    die "ZooKeeper needs java and $kZooKeeperJars/zookeeper.jar: scripts/install-deps.sh --cluster"
  rm -rf "$zkdir/data"
  mkdir -p "$zkdir/data"
  # tickTime 1000 allows session timeouts of 2-20 s (kSessionTimeoutSeconds is within). The admin server is off: it would
  # listen on 8080 on every address.
  cat >"$zkdir/zoo.cfg" <<EOF
# Written by scripts/clickhouse.sh.
tickTime=1000
dataDir=$zkdir/data
clientPort=$port
clientPortAddress=127.0.0.1
maxClientCnxns=0
admin.enableServer=false
4lw.commands.whitelist=srvr,stat,mntr
autopurge.purgeInterval=0
EOF
  echo "$port" >"$zkdir/port"
  # zookeeper.jar's manifest names its dependencies; slf4j-simple makes it log (to stderr,
  # kept in zookeeper.log) instead of nothing.
  (cd "$zkdir" && exec setsid "$java" -Xms32m -Xmx256m -XX:+UseSerialGC \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -cp "$kZooKeeperJars/zookeeper.jar:$kZooKeeperJars/slf4j-simple.jar" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$zkdir/zoo.cfg" \
    </dev/null >"$zkdir/zookeeper.log" 2>&1) &
  echo $! >"$zkdir/zookeeper.pid"
  wait_exec "$zkdir/zookeeper.pid" "$zkdir/zoo.cfg" || true
  deadline=$((SECONDS + kStartTimeout))
  until zookeeper_ok "$port"; do
    if ! pid_alive "$zkdir/zookeeper.pid" "$zkdir/zoo.cfg"; then
      if grep -qs "Address already in use" "$zkdir/zookeeper.log"; then
        taken_ports+="$port "
        return 2
      fi
      log "ZooKeeper exited; last lines of $zkdir/zookeeper.log:"
      tail -n 30 "$zkdir/zookeeper.log" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "ZooKeeper did not answer on port $port within ${kStartTimeout}s:"
      tail -n 30 "$zkdir/zookeeper.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

# --- the cluster -------------------------------------------------------------------------

readonly kNodes=4
# Node N (1..4) is shard (N+1)/2, replica 2-N%2: shard1-replica1, shard1-replica2, ...
node_shard() { echo $((($1 + 1) / 2)); }
node_replica() { echo $((2 - $1 % 2)); }

# write_cluster_config DIR ZK_PORT TCP_PORT_1 .. TCP_PORT_4: config.d/cluster.xml of every
# node, which ClickHouse merges into its config.xml.
write_cluster_config() {
  local dir=$1 zk=$2 n shard replica servers=""
  shift 2
  local -a tcp=("$@")
  for shard in 1 2; do
    servers+="      <shard>
        <internal_replication>true</internal_replication>
"
    for replica in 1 2; do
      servers+="        <replica><host>127.0.0.1</host><port>${tcp[(shard - 1) * 2 + replica - 1]}</port></replica>
"
    done
    servers+="      </shard>
"
  done
  for ((n = 1; n <= kNodes; n++)); do
    shard=$(node_shard "$n")
    replica=$(node_replica "$n")
    mkdir -p "$dir/node$n/config.d"
    cat >"$dir/node$n/config.d/cluster.xml" <<EOF
<?xml version="1.0"?>
<!-- Written by scripts/clickhouse.sh cluster-start. -->
<yandex>
  <remote_servers>
    <ccanalytics>
$servers    </ccanalytics>
  </remote_servers>
  <zookeeper>
    <node><host>127.0.0.1</host><port>$zk</port></node>
    <session_timeout_ms>$((kSessionTimeoutSeconds * 1000))</session_timeout_ms>
  </zookeeper>
  <macros>
    <shard>$shard</shard>
    <replica>s${shard}r${replica}</replica>
  </macros>
  <distributed_ddl>
    <path>/clickhouse/task_queue/ddl</path>
  </distributed_ddl>
</yandex>
EOF
  done
}

# wait_zookeeper_session DIR N: until node N reads ZooKeeper (the brief's readiness check).
wait_zookeeper_session() {
  local dir=$1 n=$2 port deadline
  port=$(<"$dir/node$n/http_port")
  deadline=$((SECONDS + kStartTimeout))
  until http_post "$port" "SELECT name FROM system.zookeeper WHERE path = '/'" >/dev/null; do
    if ((SECONDS >= deadline)); then
      log "node $n cannot read ZooKeeper: $(http_post "$port" \
        "SELECT name FROM system.zookeeper WHERE path = '/'" || true)"
      show_logs "$dir/node$n"
      return 1
    fi
    sleep 0.2
  done
}

cmd_cluster_start() {
  local dir attempt n status zk http interserver
  local -a tcp
  dir=$(abs_dir "$1")
  cmd_cluster_stop "$dir"
  rm -f "$dir/urls"
  # shellcheck disable=SC2064
  trap "cmd_cluster_stop $(printf '%q' "$dir")" EXIT
  for attempt in 1 2 3 4 5; do
    new_attempt
    status=0
    pick_port zk
    mkdir -p "$dir/zookeeper"
    start_zookeeper "$dir/zookeeper" "$zk" || status=$?
    if ((status == 0)); then
      tcp=()
      for ((n = 1; n <= kNodes; n++)); do
        clear_server_dir "$dir/node$n"
        pick_port http
        pick_port interserver
        tcp+=("")
        pick_port "tcp[$((n - 1))]"
        write_server_config "$dir/node$n" "$http" "${tcp[n - 1]}" "$interserver"
      done
      write_cluster_config "$dir" "$zk" "${tcp[@]}"
      # All four start at once and are then waited for: about as fast as one.
      for ((n = 1; n <= kNodes; n++)); do launch_server "$dir/node$n"; done
      for ((n = 1; n <= kNodes && status == 0; n++)); do
        wait_server "$dir/node$n" || status=$?
      done
      for ((n = 1; n <= kNodes && status == 0; n++)); do
        wait_zookeeper_session "$dir" "$n" || status=$?
      done
      ((status != 0)) || check_distributed_ddl "$dir" || status=$?
    fi
    if ((status == 0)); then
      trap - EXIT
      : >"$dir/urls"
      for ((n = 1; n <= kNodes; n++)); do cat "$dir/node$n/url" >>"$dir/urls"; done
      cat "$dir/urls"
      return 0
    fi
    cmd_cluster_stop "$dir"
    ((status == 2)) || exit 1
    log "a port was taken (attempt $attempt); drawing new ports"
  done
  die "no free ports after 5 attempts"
}

# check_distributed_ddl DIR: a distributed DDL through node 1 is executed by all four servers
# (the DDL queue in ZooKeeper, each server's DDL worker, each finding itself in the cluster).
# Fails, after the servers' and ZooKeeper's logs, when not.
check_distributed_ddl() {
  local dir=$1 port answer n
  port=$(<"$dir/node1/http_port")
  if answer=$(http_timeout=$((kStartTimeout + 10)) http_post "$port" "CREATE DATABASE IF NOT EXISTS default ON CLUSTER ccanalytics" \
    "distributed_ddl_task_timeout=$kStartTimeout") &&
    [[ $(grep -c . <<<"$answer") == "$kNodes" ]]; then
    return 0
  fi
  log "a distributed DDL through node 1 failed: ${answer:-an empty answer}"
  for ((n = 1; n <= kNodes; n++)); do
    pid_alive "$dir/node$n/server.pid" "$dir/node$n/config.xml" || log "node $n is not running"
    show_logs "$dir/node$n"
  done
  log "--- last lines of $dir/zookeeper/zookeeper.log"
  tail -n 30 "$dir/zookeeper/zookeeper.log" >&2
  return 1
}

cmd_cluster_stop() {
  local dir n
  local -a stopping=()
  [[ -d "$1" ]] || return 0
  dir=$(cd "$1" && pwd)
  # The servers first, so that they do not spend their shutdown reconnecting to ZooKeeper.
  # Only these stops are waited for: a ZooKeeper that cluster-start launched is a child too.
  for ((n = 1; n <= kNodes; n++)); do
    [[ -d "$dir/node$n" ]] || continue
    stop_server "$dir/node$n" "clickhouse-server node $n" &
    stopping+=($!)
  done
  ((${#stopping[@]} == 0)) || wait "${stopping[@]}"
  stop_pid "$dir/zookeeper/zookeeper.pid" "$dir/zookeeper/zoo.cfg" ZooKeeper
}

node_dir() {
  local dir=$1 n=$2
  [[ "$n" =~ ^[1-4]$ ]] || die "N must be 1..4, not '$n'"
  [[ -f "$dir/node$n/config.xml" ]] || die "$dir/node$n has no config: run cluster-start first"
  (cd "$dir/node$n" && pwd)
}

cmd_kill_node() {
  local node pid
  node=$(node_dir "$1" "$2")
  pid_alive "$node/server.pid" "$node/config.xml" || die "node $2 is not running"
  pid=$(<"$node/server.pid")
  kill -KILL "$pid"
  while pid_alive "$node/server.pid" "$node/config.xml"; do sleep 0.05; done
  wait_data_unlocked "$node"
  rm -f "$node/server.pid"
  echo "$EPOCHSECONDS" >"$node/killed_at"
  log "killed node $2 ($pid)"
}

# Same config, ports and data as before: what a crashed replica finds when it comes back.
# Returns once the node reads ZooKeeper and none of its replicated tables is read-only.
cmd_restart_node() {
  local node killed_at wait_until
  node=$(node_dir "$1" "$2")
  stop_server "$node" "clickhouse-server node $2"
  if [[ -f "$node/killed_at" ]]; then
    killed_at=$(<"$node/killed_at")
    # Session expiry is checked once a tick (1 s): two more seconds of margin.
    wait_until=$((killed_at + kSessionTimeoutSeconds + 2))
    if ((wait_until > EPOCHSECONDS)); then
      log "waiting $((wait_until - EPOCHSECONDS))s for node $2's old ZooKeeper session to expire"
      sleep $((wait_until - EPOCHSECONDS))
    fi
    rm -f "$node/killed_at"
  fi
  launch_server "$node"
  wait_server "$node" || exit 1
  wait_zookeeper_session "$(dirname "$node")" "$2"
  wait_replicas_writable "$node"
  cat "$node/url"
}

wait_replicas_writable() {
  local node=$1 port deadline readonly_tables
  port=$(<"$node/http_port")
  deadline=$((SECONDS + kStartTimeout))
  while :; do
    readonly_tables=$(http_post "$port" \
      "SELECT count() FROM system.replicas WHERE is_readonly OR is_session_expired" || echo "?")
    [[ "$readonly_tables" == 0 ]] && return 0
    if ((SECONDS >= deadline)); then
      log "$node: replicated tables still read-only after ${kStartTimeout}s ($readonly_tables)"
      show_logs "$node"
      return 1
    fi
    sleep 0.2
  done
}

# For scripts and people without curl: the same HTTP client the start functions use.
# The URL may carry settings: http://127.0.0.1:PORT/?insert_quorum=2. (18.16 applies a
# SETTINGS clause of INSERT ... SELECT to the SELECT only, not to the insert.)
cmd_query() {
  local url=$1 sql=$2 port params answer
  [[ "$url" =~ ^http://(127\.0\.0\.1|localhost):([0-9]+)/?(\?([^ ]*))?$ ]] ||
    die "query takes a loopback URL like http://127.0.0.1:PORT/[?setting=value], not $url"
  port=${BASH_REMATCH[2]}
  params=${BASH_REMATCH[4]}
  http_timeout=${CLICKHOUSE_QUERY_TIMEOUT:-300}
  if answer=$(http_post "$port" "$sql" "$params"); then
    [[ -z "$answer" ]] || printf '%s\n' "$answer"
  else
    printf '%s\n' "${answer:-no answer from $url}" >&2
    return 1
  fi
}

main() {
  (($# >= 2)) || usage
  local command=$1
  shift
  case "$command" in
    start) (($# <= 2)) || usage; cmd_start "$@" ;;
    stop) (($# == 1)) || usage; cmd_stop "$1" ;;
    cluster-start) (($# == 1)) || usage; cmd_cluster_start "$1" ;;
    cluster-stop) (($# == 1)) || usage; cmd_cluster_stop "$1" ;;
    kill-node) (($# == 2)) || usage; cmd_kill_node "$1" "$2" ;;
    restart-node) (($# == 2)) || usage; cmd_restart_node "$1" "$2" ;;
    query) (($# == 2)) || usage; cmd_query "$1" "$2" ;;
    *) usage ;;
  esac
}

main "$@"
