#!/usr/bin/env bash
# Distributed run without Docker: each service its own process on the local Kafka and
# PostgreSQL (`make up` starts those first). Logs and pids under var/.
#   deploy/local/services.sh up|down|status
# Also read: PUENTE_VAR, PUENTE_PG or PUENTE_DATABASE_URL (with `{service}`), PUENTE_HEALTH_BASE
# (first of the health ports, 8101), PUENTE_SIMULATOR=true (the field simulator too, for demos),
# and every PUENTE_* setting (README), e.g. the gateway's port.
set -euo pipefail
cd "$(dirname "$0")/../.."
VAR=${PUENTE_VAR:-$PWD/var}
PG=${PUENTE_PG:-postgresql://postgres:puente@127.0.0.1:5432}
DATABASES=${PUENTE_DATABASE_URL:-"$PG/puente_{service}"} # `{service}`: one database each
HEALTH_BASE=${PUENTE_HEALTH_BASE:-8101}
SERVICES=(registration scheduling transport processing notifications gateway)
if [[ ${PUENTE_SIMULATOR:-false} == true ]]; then SERVICES+=(simulator); fi
# Topics of its own (PUENTE_TOPIC_PREFIX, `up.` unless set; empty for none): on a broker the
# tests or a bench use, `make up` reads none of their messages and they read none of its.
export PUENTE_TOPIC_PREFIX=${PUENTE_TOPIC_PREFIX-up.}
# An accelerated clock (PUENTE_CLOCK_SPEED) must be shared: one epoch for every process.
export PUENTE_CLOCK_EPOCH=${PUENTE_CLOCK_EPOCH:-$(date +%s)}
mkdir -p "$VAR/log" "$VAR/run"

health_port() { # a fixed port per service: 8101..8107 unless PUENTE_HEALTH_BASE moves them
  local i
  for i in "${!SERVICES[@]}"; do
    if [[ ${SERVICES[$i]} == "$1" ]]; then echo $((HEALTH_BASE + i)); return; fi
  done
  return 1
}

create_database() { # the service's database, if it does not exist yet
  .venv/bin/python - "${DATABASES//\{service\}/$1}" <<'PY'
import sys, psycopg
from urllib.parse import urlsplit, urlunsplit
url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as db:
    if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        db.execute(f'CREATE DATABASE "{name}"')
PY
}

up() {
  local name pid port
  for name in "${SERVICES[@]}"; do
    pid="$VAR/run/$name.pid"
    if [[ -f $pid ]] && kill -0 "$(cat "$pid")" 2>/dev/null; then continue; fi
    create_database "$name"
    PUENTE_BUS=kafka PUENTE_VAR_DIR="$VAR" PUENTE_HEALTH_PORT="$(health_port "$name")" \
      PUENTE_DATABASE_URL="$DATABASES" PUENTE_OTEL_EXPORTER=${PUENTE_OTEL_EXPORTER:-file} \
      nohup .venv/bin/python -m "puente_$name" >"$VAR/log/$name.log" 2>&1 &
    echo $! >"$pid"
  done
  for name in "${SERVICES[@]}"; do
    port=$(health_port "$name")
    for _ in $(seq 100); do
      curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
      sleep 0.2
    done
    curl -fs "http://127.0.0.1:$port/ready" >/dev/null || { echo "$name not ready: see $VAR/log/$name.log"; exit 1; }
  done
  echo "all ${#SERVICES[@]} services ready (${SERVICES[*]}); GraphQL at http://127.0.0.1:${PUENTE_GATEWAY_PORT:-8000}/graphql"
  echo "admin token: $(cat "$VAR/admin.token")"
}

down() {
  local name pid
  for name in "${SERVICES[@]}" simulator; do # the simulator, whatever PUENTE_SIMULATOR says now
    pid="$VAR/run/$name.pid"
    [[ -f $pid ]] || continue
    kill "$(cat "$pid")" 2>/dev/null || true
    rm -f "$pid"
  done
}

status() {
  local name
  for name in "${SERVICES[@]}"; do
    if curl -fs "http://127.0.0.1:$(health_port "$name")/ready" >/dev/null 2>&1; then
      echo "$name: ready"; else echo "$name: down"; fi
  done
}

"${1:-up}"
