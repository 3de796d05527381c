#!/usr/bin/env bash
# A real three-process cluster on 127.0.0.1: starts three `java -jar akka-chat.jar` nodes,
# configured only through the environment (CHAT_HOST, CHAT_PORT, CLUSTER_HOST, CLUSTER_PORT,
# CLUSTER_SEEDS, MANAGEMENT_PORT, CHAT_HTTP_PORT), chats through their sockets, kill -9s one node and checks that the users on
# the others see its users disconnect and can go on chatting. Every process it starts is
# stopped on exit, whatever happens.
#
#   scripts/cluster-test.sh [path/to/akka-chat.jar]   (default: server/target/akka-chat.jar)
#
# Ports: chat BASE_CHAT+1..3 (default 16678..16680), cluster BASE_CLUSTER+1..3 (25531..25533),
# management BASE_MANAGEMENT+1..3 (18559..18561).
set -euo pipefail

JAR=$(realpath "${1:-server/target/akka-chat.jar}")
BASE_CHAT=${BASE_CHAT:-16677}
BASE_CLUSTER=${BASE_CLUSTER:-25530}
BASE_MANAGEMENT=${BASE_MANAGEMENT:-18558}
# The split brain resolver downs a lost node after stable-after (7 s by default), its rooms
# start elsewhere after down-removal-margin (as long again), then the notices go out; allow
# that plus failure detection and a loaded machine.
NOTICE_TIMEOUT=${NOTICE_TIMEOUT:-60}
WORK=$(mktemp -d)
PIDS=()

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    for log in "$WORK"/node*.log; do echo "---- $log"; tail -n 40 "$log"; done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Every node lists every node as a seed, in the same order, so that any of them, the first
# included, joins the others when it restarts while they run.
SEEDS="127.0.0.1:$((BASE_CLUSTER + 1)),127.0.0.1:$((BASE_CLUSTER + 2)),127.0.0.1:$((BASE_CLUSTER + 3))"

start_node() {
  local n=$1
  (cd "$WORK" && exec env CHAT_HOST=127.0.0.1 CHAT_PORT=$((BASE_CHAT + n)) \
    CLUSTER_HOST=127.0.0.1 CLUSTER_PORT=$((BASE_CLUSTER + n)) \
    CLUSTER_SEEDS="$SEEDS" MANAGEMENT_PORT=$((BASE_MANAGEMENT + n)) CHAT_HTTP_PORT=0 \
    java -Xmx256m -jar "$JAR" >"$WORK/node$n.log" 2>&1) &
  PIDS[$n]=$!
}

wait_listening() {
  local n=$1 deadline=$((SECONDS + 90))
  until grep -q "listening on 127.0.0.1:$((BASE_CHAT + n))\$" "$WORK/node$n.log"; do
    [ $SECONDS -lt $deadline ] || fail "node $n did not start listening"
    kill -0 "${PIDS[$n]}" 2>/dev/null || fail "node $n exited"
    sleep 0.2
  done
}

# connect FD NODE: open a chat connection to node NODE on file descriptor FD.
connect() { eval "exec $1<>/dev/tcp/127.0.0.1/$((BASE_CHAT + $2))"; }
# say FD LINE
say() { printf '%s\n' "$2" >&"$1"; }
# expect FD TEXT [SECONDS]: read lines from FD until one contains TEXT.
expect() {
  local fd=$1 text=$2 deadline=$((SECONDS + ${3:-20})) line
  while [ $SECONDS -lt $deadline ]; do
    if IFS= read -r -t 1 -u "$fd" line; then
      [[ "$line" == *"$text"* ]] && return 0
    fi
  done
  fail "fd $fd: no line containing '$text'"
}

# All three at once: the first seed forms the cluster as soon as the other two answer that they
# are not members yet (started alone, it would wait seed-node-timeout, 5 s, for them).
start_node 1
start_node 2
start_node 3
wait_listening 1
wait_listening 2
wait_listening 3
echo "three nodes listening"

connect 3 1; say 3 alice; expect 3 "Welcome, alice"
connect 4 2; say 4 bob; expect 4 "Welcome, bob"
connect 5 3; say 5 carol; expect 5 "Welcome, carol"
expect 3 "*** carol just joined the chatroom"
expect 4 "*** carol just joined the chatroom"

say 3 "hello from node 1"
expect 4 "[alice] hello from node 1"
expect 5 "[alice] hello from node 1"
say 5 "hello from node 3"
expect 3 "[carol] hello from node 3"
expect 4 "[carol] hello from node 3"
echo "users on three nodes chat"

kill -9 "${PIDS[3]}"
wait "${PIDS[3]}" 2>/dev/null || true
echo "node 3 killed"
expect 3 "*** carol has disconnected" "$NOTICE_TIMEOUT"
expect 4 "*** carol has disconnected" "$NOTICE_TIMEOUT"
echo "its user's departure was seen on both other nodes"

say 3 "still here"
expect 4 "[alice] still here" 30
say 4 "me too"
expect 3 "[bob] me too" 30
echo "the survivors chat on"
echo "PASS"
