#!/usr/bin/env bash
# Smoke test of the ClickHouse test cluster (scripts/clickhouse.sh cluster-start): the cluster
# DDL, inserts and replica failure that a C++ cluster suite will rely on, checked on Debian's
# ClickHouse 18.16 with every server on loopback.
#
#   tests/clickhouse/cluster_smoke.sh [DIR]
#
# DIR (default: a new temp folder, removed afterwards) holds the cluster; it is stopped
# whatever the outcome. Ends with "N passed, M failed" and exits non-zero on any failure.
# Takes about 25 s, most of it waiting out a killed replica's ZooKeeper session.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ch="$root/scripts/clickhouse.sh"

if [[ -n "${1:-}" ]]; then
  dir=$1
  remove_dir=false
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/ccanalytics-cluster.XXXXXX")
  remove_dir=true
fi
cleanup() {
  local status=$?
  if ((status != 0 || failed != 0)); then  # what the servers said, before their folder goes
    for log in "$dir"/node*/server.err.log "$dir"/node*/stdout.log "$dir"/zookeeper/zookeeper.log; do
      [[ -s "$log" ]] || continue
      echo "--- last lines of $log"
      tail -n 40 "$log"
    done
  fi
  "$ch" cluster-stop "$dir" || true
  if $remove_dir; then rm -rf "$dir"; fi
}
passed=0
failed=0
trap cleanup EXIT
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then
    passed=$((passed + 1))
    echo "ok - $1"
  else
    failed=$((failed + 1))
    echo "not ok - $1: expected '$2', got '$3'"
  fi
}

mapfile -t url < <("$ch" cluster-start "$dir")
check "cluster-start prints four URLs" 4 "${#url[@]}"
((${#url[@]} == 4)) || exit 1
# q NODE SQL [SETTINGS]: NODE 1..4; SETTINGS as URL parameters (a=1&b=2), since 18.16 does
# not apply a SETTINGS clause of INSERT ... SELECT to the insert.
q() { "$ch" query "${url[$1 - 1]}${3:+?$3}" "$2"; }

# Each server knows its own shard and replica.
for n in 1 2 3 4; do
  check "node $n macros" "$(((n + 1) / 2)) s$(((n + 1) / 2))r$((2 - n % 2))" \
    "$(q "$n" "SELECT groupArray(substitution)[1], groupArray(substitution)[2] FROM
              (SELECT * FROM system.macros ORDER BY macro DESC) FORMAT TSV" | tr '\t' ' ')"
done

# ON CLUSTER DDL: one replicated table per shard and a Distributed table over them, on all
# four servers. Inserts through the Distributed table are synchronous here so that the counts
# right after are exact (the default queues them and sends in the background).
q 1 "CREATE TABLE smoke ON CLUSTER ccanalytics (d Date, x UInt64)
     ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/smoke', '{replica}')
     PARTITION BY d ORDER BY x" >/dev/null
q 1 "CREATE TABLE smoke_all ON CLUSTER ccanalytics AS smoke
     ENGINE = Distributed(ccanalytics, default, smoke, rand())" >/dev/null
for n in 1 2 3 4; do
  check "node $n has both tables" 2 \
    "$(q "$n" "SELECT count() FROM system.tables WHERE name IN ('smoke', 'smoke_all')")"
done

insert() {  # insert NODE FIRST COUNT: the numbers FIRST.. through node NODE's smoke_all
  q "$1" "INSERT INTO smoke_all SELECT toDate('2024-01-01') + number % 3, $2 + number
          FROM system.numbers LIMIT $3" insert_distributed_sync=1 >/dev/null
}
# A synchronous insert is acknowledged once one replica per shard has it; the other replica
# fetches it afterwards. SYSTEM SYNC REPLICA (present in 18.16) waits for that, so that a
# Distributed SELECT, which reads either replica, sees everything.
sync_replicas() {  # sync_replicas NODE...
  local n
  for n in "$@"; do q "$n" "SYSTEM SYNC REPLICA smoke" >/dev/null; done
}
insert 1 0 1000
sync_replicas 1 2 3 4
for n in 1 2 3 4; do
  check "node $n sees 1000 rows through the Distributed table" 1000 \
    "$(q "$n" "SELECT count() FROM smoke_all")"
done

local_rows() { q "$1" "SELECT count(), sum(x) FROM smoke FORMAT TSV" | tr '\t' ' '; }
check "shard 1 replicas agree" "$(local_rows 1)" "$(local_rows 2)"
check "shard 2 replicas agree" "$(local_rows 3)" "$(local_rows 4)"

# A replica fails: inserts go on through the other, and the failed one catches up after.
"$ch" kill-node "$dir" 2
insert 3 1000 1000
insert 1 2000 1000
sync_replicas 1 3 4
check "2000 rows more while node 2 is down" 3000 "$(q 1 "SELECT count() FROM smoke_all")"
# Until the killed server's ZooKeeper session expires, node 1 counts it as alive, and a
# quorum insert writes its part and then waits for a quorum that cannot come (up to
# insert_quorum_timeout, 10 minutes by default). Once it has expired, the insert is refused.
for ((i = 0; i < 100; i++)); do
  [[ "$(q 1 "SELECT active_replicas FROM system.replicas WHERE table = 'smoke'")" == 1 ]] && break
  sleep 0.2
done
check "node 1 sees node 2 gone" 1 "$(q 1 "SELECT active_replicas FROM system.replicas WHERE table = 'smoke'")"
check "a quorum of 2 is refused while node 2 is down" refused \
  "$(q 1 "INSERT INTO smoke SELECT toDate('2024-01-09'), 1" insert_quorum=2 2>/dev/null &&
     echo accepted || echo refused)"
"$ch" restart-node "$dir" 2 >/dev/null
sync_replicas 2
check "node 2 caught up with node 1" "$(local_rows 1)" "$(local_rows 2)"
check "all rows, each once" "3000 $((2999 * 3000 / 2))" \
  "$(q 2 "SELECT count(), sum(x) FROM smoke_all FORMAT TSV" | tr '\t' ' ')"

q 1 "DROP TABLE smoke_all ON CLUSTER ccanalytics" >/dev/null
q 1 "DROP TABLE smoke ON CLUSTER ccanalytics" >/dev/null
check "DROP TABLE ON CLUSTER" 0 "$(q 4 "SELECT count() FROM system.tables WHERE name LIKE 'smoke%'")"

echo "cluster smoke: $passed passed, $failed failed"
((failed == 0))
