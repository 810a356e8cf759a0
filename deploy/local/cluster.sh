#!/usr/bin/env bash
# A real six-process edgemq cluster on one host: 2 nameservers, 2 brokers (broker-a, broker-b,
# each a master registered with both nameservers) and 2 MQTT gateways, each with its own ports,
# data directory and log file. See docs/deploy.md.
#
#   deploy/local/cluster.sh start     # starts all six, in order, waiting for each to listen
#   deploy/local/cluster.sh status    # pid, ports and /health of each; exit 0 only if all are UP
#   deploy/local/cluster.sh logs [NAME] [LINES]
#   deploy/local/cluster.sh stop      # SIGTERM in reverse order, waits for clean exits
#
# Environment (defaults in brackets):
#   EDGEMQ_CLUSTER_DIR  where conf/, data/, logs/, pids/ live [./local-cluster]
#   EDGEMQ              the edgemq command [bin/edgemq of this repository]
#   NS1_PORT NS2_PORT [9876 9877]  BROKER_A_PORT BROKER_B_PORT [10911 10921]
#   GW1_MQTT_PORT GW2_MQTT_PORT [1883 1884]  GW1_WS_PORT GW2_WS_PORT [8083 8093]
#   NS1_HTTP NS2_HTTP BROKER_A_HTTP BROKER_B_HTTP GW1_HTTP GW2_HTTP [18080 .. 18085]
#   START_TIMEOUT  seconds to wait for one process to listen [90]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
EDGEMQ="${EDGEMQ:-$repo/bin/edgemq}"
DIR="${EDGEMQ_CLUSTER_DIR:-$PWD/local-cluster}"
START_TIMEOUT="${START_TIMEOUT:-90}"

NS1_PORT="${NS1_PORT:-9876}"
NS2_PORT="${NS2_PORT:-9877}"
BROKER_A_PORT="${BROKER_A_PORT:-10911}"
BROKER_B_PORT="${BROKER_B_PORT:-10921}"
GW1_MQTT_PORT="${GW1_MQTT_PORT:-1883}"
GW2_MQTT_PORT="${GW2_MQTT_PORT:-1884}"
GW1_WS_PORT="${GW1_WS_PORT:-8083}"
GW2_WS_PORT="${GW2_WS_PORT:-8093}"
NS1_HTTP="${NS1_HTTP:-18080}"
NS2_HTTP="${NS2_HTTP:-18081}"
BROKER_A_HTTP="${BROKER_A_HTTP:-18082}"
BROKER_B_HTTP="${BROKER_B_HTTP:-18083}"
GW1_HTTP="${GW1_HTTP:-18084}"
GW2_HTTP="${GW2_HTTP:-18085}"
NAMESRV="127.0.0.1:$NS1_PORT,127.0.0.1:$NS2_PORT"

NAMES=(ns1 ns2 broker-a broker-b gw1 gw2)

role_of() {
  case "$1" in
    ns*) echo nameserver ;;
    broker-*) echo broker ;;
    gw*) echo gateway ;;
  esac
}

http_of() {
  case "$1" in
    ns1) echo "$NS1_HTTP" ;;
    ns2) echo "$NS2_HTTP" ;;
    broker-a) echo "$BROKER_A_HTTP" ;;
    broker-b) echo "$BROKER_B_HTTP" ;;
    gw1) echo "$GW1_HTTP" ;;
    gw2) echo "$GW2_HTTP" ;;
  esac
}

overrides_of() {
  case "$1" in
    ns1) echo "--set nameserver.port=$NS1_PORT" ;;
    ns2) echo "--set nameserver.port=$NS2_PORT" ;;
    broker-a) echo "--set broker.port=$BROKER_A_PORT --set broker.namesrv=$NAMESRV" ;;
    broker-b) echo "--set broker.port=$BROKER_B_PORT --set broker.namesrv=$NAMESRV" ;;
    gw1) echo "--set gateway.mqttPort=$GW1_MQTT_PORT --set gateway.wsPort=$GW1_WS_PORT --set gateway.namesrv=$NAMESRV" ;;
    gw2) echo "--set gateway.mqttPort=$GW2_MQTT_PORT --set gateway.wsPort=$GW2_WS_PORT --set gateway.namesrv=$NAMESRV" ;;
  esac
}

pid_of() {
  local f="$DIR/pids/$1.pid"
  if [[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null; then
    cat "$f"
  fi
}

# GET /health on a local port without curl: bash's /dev/tcp
health() {
  local port="$1" line
  if ! exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
    echo "no answer"
    return
  fi
  printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3
  line="$(timeout 5 tail -n 1 <&3 || true)"
  exec 3<&-
  echo "${line:-no answer}"
}

start_one() {
  local name="$1" role log pid waited=0
  role="$(role_of "$name")"
  if [[ -n "$(pid_of "$name")" ]]; then
    echo "$name: already running (pid $(pid_of "$name"))"
    return
  fi
  log="$DIR/logs/$name.log"
  # shellcheck disable=SC2046 # the overrides are words on purpose
  (cd "$DIR" && exec nohup "$EDGEMQ" "$role" --config "$here/conf/$name.properties" \
    --set "http.port=$(http_of "$name")" $(overrides_of "$name") >"$log" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$DIR/pids/$name.pid"
  until grep -q "^edgemq $role listening on port" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name: exited during start; last lines of $log:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    if ((waited >= START_TIMEOUT * 5)); then
      echo "$name: not listening after ${START_TIMEOUT}s; see $log" >&2
      return 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  echo "$name: started (pid $pid, $(grep "^edgemq $role listening" "$log"), http $(http_of "$name"))"
}

stop_one() {
  local name="$1" pid waited=0
  pid="$(pid_of "$name")"
  if [[ -z "$pid" ]]; then
    rm -f "$DIR/pids/$name.pid"
    echo "$name: not running"
    return 0
  fi
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 300)); then
      echo "$name: still running 60 s after SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      rm -f "$DIR/pids/$name.pid"
      return 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  rm -f "$DIR/pids/$name.pid"
  echo "$name: $(tail -n 1 "$DIR/logs/$name.log" | grep -o 'edgemq .* stopped.*' || echo 'exited')"
}

cmd_start() {
  mkdir -p "$DIR/logs" "$DIR/pids" "$DIR/data"
  local name
  for name in "${NAMES[@]}"; do
    if ! start_one "$name"; then
      echo "start failed; stopping what started" >&2
      cmd_stop >&2 || true
      return 1
    fi
  done
  echo "cluster up: MQTT on 127.0.0.1:$GW1_MQTT_PORT and 127.0.0.1:$GW2_MQTT_PORT, nameservers $NAMESRV"
}

cmd_stop() {
  local i status=0
  for ((i = ${#NAMES[@]} - 1; i >= 0; i--)); do
    stop_one "${NAMES[$i]}" || status=1
  done
  return $status
}

cmd_status() {
  local name pid status=0 h
  for name in "${NAMES[@]}"; do
    pid="$(pid_of "$name")"
    if [[ -z "$pid" ]]; then
      printf '%-9s stopped\n' "$name"
      status=3
      continue
    fi
    h="$(health "$(http_of "$name")")"
    printf '%-9s running  pid %-7s http %-5s health %s\n' "$name" "$pid" "$(http_of "$name")" "$h"
    [[ "$h" == UP* ]] || status=3
  done
  return $status
}

cmd_logs() {
  local name="${1:-}" lines="${2:-50}"
  if [[ -n "$name" ]]; then
    tail -n "$lines" "$DIR/logs/$name.log"
  else
    for name in "${NAMES[@]}"; do
      echo "==> $DIR/logs/$name.log <=="
      tail -n "$lines" "$DIR/logs/$name.log" 2>/dev/null || echo "(none)"
    done
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  *)
    echo "usage: $0 start|stop|status|logs [NAME] [LINES]" >&2
    exit 2
    ;;
esac
