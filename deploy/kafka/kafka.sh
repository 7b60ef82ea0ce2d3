#!/usr/bin/env bash
# Local single-node Kafka (KRaft) without Docker: kafka.sh up|down|status|reset
#   PUENTE_VAR   state dir (default <repo>/var); uses $PUENTE_VAR/kafka/{lib,data,...}
#   KAFKA_PORT   client port (default 9092); controller uses KAFKA_CONTROLLER_PORT (default 9093)
#   KAFKA_HEAP   JVM heap flags (default -Xmx512m -Xms256m)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
VAR="${PUENTE_VAR:-$REPO/var}"
KDIR="$VAR/kafka"
LIB="$KDIR/lib"
DATA="$KDIR/data"
CONF="$KDIR/server.properties"
PIDFILE="$KDIR/kafka.pid"
LOG="$KDIR/broker.log"
PORT="${KAFKA_PORT:-9092}"
CPORT="${KAFKA_CONTROLLER_PORT:-9093}"
HEAP="${KAFKA_HEAP:--Xmx512m -Xms256m}"
TIMEOUT="${KAFKA_START_TIMEOUT:-90}"

log() { echo "kafka: $*" >&2; }

fetch_jars() {
  [[ -f "$LIB/.complete" ]] && return 0
  log "fetching jars into $LIB (maven)..."
  rm -rf "$LIB" && mkdir -p "$LIB"
  local out
  if ! out="$(mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB" 2>&1)"; then
    echo "$out" >&2; log "maven fetch failed"; return 1
  fi
  touch "$LIB/.complete"
}

write_conf() {
  sed -e "s#^log\.dirs=.*#log.dirs=$DATA#" \
      -e "s#127\.0\.0\.1:9092#127.0.0.1:$PORT#g" \
      -e "s#127\.0\.0\.1:9093#127.0.0.1:$CPORT#g" \
      "$HERE/server.properties" >"$CONF"
}

format_storage() {
  [[ -f "$DATA/meta.properties" ]] && return 0
  if [[ ! -s "$KDIR/cluster-id" ]]; then
    java -cp "$LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | grep -E '^[A-Za-z0-9_-]{22}$' >"$KDIR/cluster-id"
  fi
  log "formatting storage (cluster id $(cat "$KDIR/cluster-id"))"
  java -cp "$LIB/*" -Dlog4j2.configurationFile="$HERE/log4j2.properties" \
    kafka.tools.StorageTool format --standalone -t "$(cat "$KDIR/cluster-id")" -c "$CONF" >/dev/null
}

pid_alive() {
  local pid
  [[ -f "$PIDFILE" ]] || return 1
  pid="$(cat "$PIDFILE")"
  [[ -n "$pid" ]] && grep -qa kafka.Kafka "/proc/$pid/cmdline" 2>/dev/null
}

# Raw ApiVersions v0 request over bash /dev/tcp; the broker only answers once
# request processing is enabled (i.e. the broker is unfenced and serving).
probe() {
  local out
  out="$(timeout 2 bash -c '
    exec 3<>/dev/tcp/127.0.0.1/'"$PORT"' || exit 1
    printf "\x00\x00\x00\x0b\x00\x12\x00\x00\x00\x00\x00\x2a\x00\x01\x70" >&3
    head -c 10 <&3 | od -An -tx1' 2>/dev/null)" || return 1
  # size(4) correlation_id=42(4) error_code=0(2)
  [[ "$(echo $out | cut -d' ' -f5-10)" == "00 00 00 2a 00 00" ]]
}

up() {
  mkdir -p "$KDIR"
  if pid_alive; then
    wait_ready && { log "already running (pid $(cat "$PIDFILE"))"; return 0; }
    return 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    log "port $PORT already in use by another process (not $PIDFILE)"; return 1
  fi
  fetch_jars
  write_conf
  format_storage
  log "starting broker on 127.0.0.1:$PORT (log: $LOG)"
  # shellcheck disable=SC2086
  setsid nohup java $HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true -Dlog4j2.shutdownHookEnabled=false \
    -Dlog4j2.configurationFile="$HERE/log4j2.properties" \
    -cp "$LIB/*" kafka.Kafka "$CONF" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  wait_ready
}

wait_ready() {
  local start=$SECONDS
  while ((SECONDS - start < TIMEOUT)); do
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      log "broker died; last log lines:"; tail -n 30 "$LOG" >&2 || true; return 1
    fi
    if probe; then log "ready on 127.0.0.1:$PORT ($((SECONDS - start))s)"; return 0; fi
    sleep 0.2
  done
  log "not ready after ${TIMEOUT}s; see $LOG"; return 1
}

down() {
  if ! pid_alive; then rm -f "$PIDFILE"; log "not running"; return 0; fi
  local pid i
  pid="$(cat "$PIDFILE")"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then log "SIGKILL $pid"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE"
  log "stopped"
}

status() {
  if pid_alive && probe; then log "running (pid $(cat "$PIDFILE")) and ready on 127.0.0.1:$PORT"; return 0; fi
  log "not running/ready"; return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  reset) down; rm -rf "$DATA" "$KDIR/cluster-id" "$CONF"; log "data removed" ;;
  *) echo "usage: $0 up|down|status|reset" >&2; exit 2 ;;
esac
