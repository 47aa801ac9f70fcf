#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the tests; prints its URL.
# Usage: scripts/start-postgres.sh [DATA_DIR] [PORT]
set -euo pipefail
DATA_DIR="${1:-/tmp/medfoundry-pg}"
PORT="${2:-55432}"
PASSWORD="medfoundry-test"

BIN_DIR="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "${BIN_DIR}" ] || [ ! -x "${BIN_DIR}/initdb" ]; then
  echo "installing PostgreSQL from Debian..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN_DIR="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
fi

RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  RUN_AS=(runuser -u postgres --)
fi

if [ ! -f "${DATA_DIR}/PG_VERSION" ]; then
  mkdir -p "${DATA_DIR}"
  [ "$(id -u)" = "0" ] && chown postgres "${DATA_DIR}"
  PWFILE="$(mktemp)"; echo "${PASSWORD}" > "${PWFILE}"; chmod 644 "${PWFILE}"
  "${RUN_AS[@]}" "${BIN_DIR}/initdb" -D "${DATA_DIR}" -U medfoundry --pwfile="${PWFILE}" \
    --auth=scram-sha-256 >/dev/null
  rm -f "${PWFILE}"
fi
if ! "${RUN_AS[@]}" "${BIN_DIR}/pg_ctl" -D "${DATA_DIR}" status >/dev/null 2>&1; then
  "${RUN_AS[@]}" "${BIN_DIR}/pg_ctl" -D "${DATA_DIR}" -l "${DATA_DIR}/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p ${PORT} -c unix_socket_directories=${DATA_DIR} -c max_connections=200 -c fsync=off" \
    start >/dev/null
fi
echo "postgresql+psycopg://medfoundry:${PASSWORD}@127.0.0.1:${PORT}/postgres"
