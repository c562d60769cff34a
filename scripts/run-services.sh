#!/usr/bin/env bash
# Starts the LMS, the grading worker, the scheduler and JupyterHub together; Ctrl-C stops them all.
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
.venv/bin/jupyterhub -f jupyterhub_config.py &
pids+=($!)

echo "LMS on http://127.0.0.1:${LMS_PORT:-8000}/, JupyterHub on http://127.0.0.1:${HUB_PORT:-8001}/ (demo logins in README.md). Ctrl-C stops everything."
wait -n
