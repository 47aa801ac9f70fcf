#!/usr/bin/env bash
# The project's checks: lint, types, the layer contract (.importlinter), then the test suite (both databases).
# Starts a throwaway PostgreSQL on loopback when MEDFOUNDRY_TEST_POSTGRES_URL is unset.
#   scripts/test.sh           everything, as CI runs it
#   scripts/test.sh --fast    the edit loop: ruff, the layer contract, unit tests not marked slow, SQLite only
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--fast" ]; then
  shift
  echo "== ruff"; ruff check src tests benchmarks
  echo "== layers"; lint-imports --no-cache
  echo "== pytest (fast lane)"; exec python -m pytest -q -m "not slow and not postgres" tests/unit "$@"
fi

if [ -z "${MEDFOUNDRY_TEST_POSTGRES_URL:-}" ]; then
  if url="$(scripts/start-postgres.sh)"; then
    export MEDFOUNDRY_TEST_POSTGRES_URL="${url}"
  else
    echo "warning: could not start PostgreSQL; its tests will be skipped" >&2
  fi
fi
if [ -f tests/fhir_server/package.json ] && [ ! -d tests/fhir_server/node_modules ]; then
  (cd tests/fhir_server && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== ruff"; ruff check src tests benchmarks
echo "== mypy"; mypy
echo "== layers"; lint-imports --no-cache
echo "== pytest"; python -m pytest -q "$@"
