#!/usr/bin/env bash
# Starts a real MLflow tracking server on 127.0.0.1 for manual use (SQLite backend store).
#
#   infra/local/start-mlflow.sh                 # port 5000, state in .crl-tools/mlflow
#   PORT=5100 DATA=/tmp/mlflow infra/local/start-mlflow.sh
#   export MLFLOW_TRACKING_URI=http://127.0.0.1:5000   # then crl logs to it
#
# mlflow comes from .crl-tools/venv (infra/local/install-tools.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PORT="${PORT:-5000}"
DATA="${DATA:-$ROOT/.crl-tools/mlflow}"
MLFLOW="$ROOT/.crl-tools/venv/bin/mlflow"
if [[ ! -x "$MLFLOW" ]]; then
  echo "mlflow is missing: run infra/local/install-tools.sh" >&2
  exit 1
fi
mkdir -p "$DATA/artifacts"
echo "MLflow on http://127.0.0.1:${PORT} (store ${DATA}/mlflow.db); it takes 20-40 s to answer /health" >&2
# The GenAI job runner is not used by crl; skipping it saves a Python process.
export MLFLOW_SERVER_ENABLE_JOB_EXECUTION="${MLFLOW_SERVER_ENABLE_JOB_EXECUTION:-false}"
exec "$MLFLOW" server \
  --backend-store-uri "sqlite:///${DATA}/mlflow.db" \
  --default-artifact-root "${DATA}/artifacts" \
  --host 127.0.0.1 --port "$PORT" --workers "${WORKERS:-1}"
