#!/usr/bin/env bash
# Serve jobledger as it would be deployed: gunicorn and whitenoise, DEBUG off, a task worker
# beside the web processes. `make run` calls this after it has built .venv and the assets.
set -euo pipefail
cd "$(dirname "$0")/.."

# Settings come from the environment; a local .env (see .env.example) fills in the rest.
if [ -f .env ]; then
    set -a
    # shellcheck disable=SC1091
    . ./.env
    set +a
fi
port="${PORT:-8000}"
bin=.venv/bin
mkdir -p "${JOBLEDGER_VAR_DIR:-var}"

"$bin/jobledger" migrate --noinput
"$bin/jobledger" collectstatic --noinput --verbosity 0
# Loads the demo company on the first start only; prints the demo logins every time.
"$bin/jobledger" seed_demo
echo
echo "jobledger is serving on http://127.0.0.1:$port/"
echo

# The worker and the web server stop together, however this script ends.
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$bin/jobledger" db_worker &
pids+=($!)
"$bin/gunicorn" jobledger.wsgi:application \
    --bind "127.0.0.1:$port" --workers "${WEB_CONCURRENCY:-3}" --access-logfile - &
pids+=($!)
wait "${pids[1]}"
