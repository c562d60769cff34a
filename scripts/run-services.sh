#!/usr/bin/env bash
# Starts the LMS, the task worker and the scheduler together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait; }
trap stop EXIT INT TERM

$PY manage.py grading_worker &
pids+=($!)
$PY manage.py run_scheduler &
pids+=($!)
$PY manage.py runserver "127.0.0.1:${LMS_PORT:-8000}" --noreload &
pids+=($!)

echo "LMS on http://127.0.0.1:${LMS_PORT:-8000}/ (demo logins in README.md). Ctrl-C stops everything."
wait -n
