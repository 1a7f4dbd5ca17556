#!/usr/bin/env bash
# Run LSTM Explorer for a class on one machine: N Streamlit workers behind Debian's HAProxy.
#
#   deploy/classroom.sh --workers 2 --port 8501
#
# Workers listen on 127.0.0.1, ports P+1 .. P+N; HAProxy listens on port P on every address and
# keeps each student on one worker with a cookie (deploy/haproxy.cfg says how and why). All of it
# runs in the foreground: Ctrl-C or SIGTERM stops every process this script started. It prints a
# line per process, "worker w1 pid 1234 port 8502 ..." and "haproxy pid 1236 port 8501 ...",
# then "ready". Logs and the filled-in haproxy.cfg go to a run folder it names.
#
# Options: --workers N (default: the number of cores), --port P (default 8501).
# Environment: LSTM_EXPLORER_COOKIE_SECRET, the secret every worker signs cookies with
# (default: a new random one per start, shared by this start's workers).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TEMPLATE="$ROOT/deploy/haproxy.cfg"
START_S=120  # a cold worker imports streamlit, numpy, plotly and pandas; N of them share the cores
STOP_S=10    # how long a child may take to stop on SIGTERM before it gets SIGKILL

usage() {
  echo "usage: $0 [--workers N] [--port P]" >&2
  exit 2
}

say() { echo "classroom: $*"; }

workers=$(nproc)
port=8501
while [ $# -gt 0 ]; do
  case $1 in
    --workers) [ $# -ge 2 ] || usage; workers=$2; shift 2 ;;
    --port) [ $# -ge 2 ] || usage; port=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ $workers =~ ^[1-9][0-9]*$ && $port =~ ^[1-9][0-9]*$ ]] || usage
[ $((port + workers)) -le 65535 ] || usage

find_haproxy() {  # Debian puts it in /usr/sbin, which is not on a normal user's PATH
  command -v haproxy || { [ -x /usr/sbin/haproxy ] && echo /usr/sbin/haproxy; }
}

haproxy=$(find_haproxy) || true
if [ -z "$haproxy" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's haproxy"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
    haproxy=$(find_haproxy)
  else
    echo "classroom: haproxy is missing; install it with: sudo apt-get install -y haproxy" >&2
    exit 1
  fi
fi

secret=${LSTM_EXPLORER_COOKIE_SECRET:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}
run="${TMPDIR:-/tmp}/lstm-explorer-$port"
mkdir -p "$run"
chmod 700 "$run"

declare -A name  # pid -> w1, w2, ..., haproxy: every child still running

running() {  # true while any child is alive
  local pid
  for pid in "${!name[@]}"; do
    kill -0 "$pid" 2>/dev/null && return 0
  done
  return 1
}

stop() {  # SIGTERM to every child, SIGKILL to those still alive after STOP_S, then reap them
  local pid tick
  [ ${#name[@]} -gt 0 ] || return 0
  say "stopping ${name[*]}"
  for pid in "${!name[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for ((tick = 0; tick < STOP_S * 10; tick++)); do
    running || break
    sleep 0.1
  done
  for pid in "${!name[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait || true
  name=()
}

trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

healthy() {  # healthy PORT: true when 127.0.0.1:PORT answers "ok" on /_stcore/health (bash alone)
  local reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /_stcore/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  read -r -t 5 -d '' reply <&3 || true
  exec 3<&-
  [[ $reply == HTTP/1.?" 200 "* && $reply == *$'\r\n\r\n'ok ]]
}

wait_healthy() {  # wait_healthy WHAT PORT PID LOG: until it answers; fail if PID dies or time runs out
  local tick
  for ((tick = 0; tick < START_S * 4; tick++)); do
    healthy "$2" && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "classroom: $1 exited while starting; see $4" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "classroom: $1 did not answer on port $2 within $START_S s; see $4" >&2
  exit 1
}

cd "$ROOT"
for ((i = 1; i <= workers; i++)); do
  # One BLAS thread per worker: the matrices are small, and the sessions' threads share the cores.
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 STREAMLIT_SERVER_COOKIE_SECRET="$secret" \
    python3 -m streamlit run app.py --server.address 127.0.0.1 --server.port $((port + i)) \
    --server.headless true --browser.gatherUsageStats false --server.fileWatcherType none \
    >"$run/w$i.log" 2>&1 &
  name[$!]=w$i
  say "worker w$i pid $! port $((port + i)) log $run/w$i.log"
done
for pid in "${!name[@]}"; do
  wait_healthy "${name[$pid]}" $((port + ${name[$pid]#w})) "$pid" "$run/${name[$pid]}.log"
done

# The template with this start's port and one server line per worker.
awk -v port="$port" -v workers="$workers" '
  /^[[:space:]]*bind / { sub(/bind .*/, "bind :" port) }
  /^[[:space:]]*server w[0-9]+ / {
    if (!written)
      for (i = 1; i <= workers; i++)
        printf "    server w%d 127.0.0.1:%d cookie w%d\n", i, port + i, i
    written = 1
    next
  }
  { print }' "$TEMPLATE" >"$run/haproxy.cfg"
"$haproxy" -c -q -f "$run/haproxy.cfg"
"$haproxy" -db -f "$run/haproxy.cfg" &
name[$!]=haproxy
say "haproxy pid $! port $port config $run/haproxy.cfg"
wait_healthy haproxy "$port" "$!" "its messages above"
say "ready: http://127.0.0.1:$port here, http://<this machine's address>:$port for the students"

# Supervise: a dead worker's students reconnect to the others (HAProxy's health checks take it
# out); without HAProxy, or without any worker, there is no class left to serve.
while :; do
  done_pid=""
  status=0
  wait -n -p done_pid "${!name[@]}" || status=$?
  [ -n "$done_pid" ] || continue
  who=${name[$done_pid]}
  unset "name[$done_pid]"
  if [ "$who" = haproxy ]; then
    echo "classroom: haproxy exited with status $status" >&2
    exit 1
  fi
  say "worker $who (pid $done_pid) exited with status $status; its students move to the others"
  if [ "${#name[@]}" -le 1 ]; then
    echo "classroom: no worker left" >&2
    exit 1
  fi
done
