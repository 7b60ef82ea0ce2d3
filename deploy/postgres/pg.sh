#!/usr/bin/env bash
# Local PostgreSQL via the Debian cluster tools (no Docker): pg.sh up|down|status
# Result: postgresql://postgres:puente@127.0.0.1:5432/postgres
#   PG_PORT      (default 5432)
#   PG_PASSWORD  password for the postgres role (default puente)
set -euo pipefail

PORT="${PG_PORT:-5432}"
PASSWORD="${PG_PASSWORD:-puente}"
CLUSTER="${PG_CLUSTER:-main}"

log() { echo "pg: $*" >&2; }
as_postgres() { runuser -u postgres -- "$@"; }

install_pg() {
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && return 0
  log "installing postgresql (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
}

# Newest installed major version.
pg_version() { ls /usr/lib/postgresql | sort -n | tail -n 1; }

# "<ver> <cluster> <port> <status> ..." for our cluster, or empty.
cluster_line() { pg_lsclusters -h | awk -v c="$CLUSTER" '$2 == c' | sort -n | tail -n 1; }

up() {
  install_pg
  local line ver
  line="$(cluster_line)"
  if [[ -z "$line" ]]; then
    ver="$(pg_version)"
    log "creating cluster $ver/$CLUSTER on port $PORT"
    pg_createcluster -p "$PORT" "$ver" "$CLUSTER" >/dev/null
    line="$(cluster_line)"
  fi
  ver="$(awk '{print $1}' <<<"$line")"
  if [[ "$(awk '{print $3}' <<<"$line")" != "$PORT" ]]; then
    log "moving cluster $ver/$CLUSTER to port $PORT"
    pg_ctlcluster "$ver" "$CLUSTER" stop 2>/dev/null || true
    pg_conftool "$ver" "$CLUSTER" set port "$PORT"
  fi
  pg_conftool "$ver" "$CLUSTER" set listen_addresses 'localhost'
  if [[ "$(cluster_line | awk '{print $4}')" != online ]]; then
    log "starting cluster $ver/$CLUSTER"
    pg_ctlcluster "$ver" "$CLUSTER" start
  fi
  wait_ready
  if ! PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres \
      -Atqc 'select 1' >/dev/null 2>&1; then
    log "setting password for role postgres"
    as_postgres psql -p "$PORT" -d postgres -qc "ALTER USER postgres PASSWORD '$PASSWORD'"
  fi
  log "ready: postgresql://postgres:$PASSWORD@127.0.0.1:$PORT/postgres"
}

wait_ready() {
  local i
  for ((i = 0; i < 150; i++)); do
    pg_isready -q -h 127.0.0.1 -p "$PORT" && return 0
    sleep 0.2
  done
  log "not ready after 30s"; return 1
}

down() {
  command -v pg_lsclusters >/dev/null || { log "not installed"; return 0; }
  local line
  line="$(cluster_line)"
  if [[ -n "$line" && "$(awk '{print $4}' <<<"$line")" == online ]]; then
    pg_ctlcluster "$(awk '{print $1}' <<<"$line")" "$CLUSTER" stop
    log "stopped"
  else
    log "not running"
  fi
}

status() {
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$PORT"; then
    log "ready on 127.0.0.1:$PORT"; return 0
  fi
  log "not running/ready"; return 1
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
