#!/usr/bin/env bash
# Two `streamlit run server.py` servers on one PostgreSQL database, behind HAProxy, all on
# 127.0.0.1. Creates the database, migrates it, starts everything, waits until the balancer
# answers, prints the URL and stays in the foreground: Ctrl-C (or SIGTERM) stops all of it.
#
#   make deploy-local                       # or: bash deploy/run-local.sh
#
# Settings (environment):
#   ADMIN_DATABASE_URL  a PostgreSQL URL whose role may create databases
#                       (default: $TEST_POSTGRES_URL, as CI provides)
#   DEPLOY_DATABASE     the database to create and use (default: portal_local; kept on exit)
#   DATABASE_URL        use this database as it is instead of creating one
#   PORT                the balancer's port (default 8600); the servers take PORT+1 and PORT+2
#   PY                  the Python to run (default: .venv/bin/python)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8600}
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
[ -x "$HAPROXY" ] || { echo "haproxy is missing: apt-get install -y haproxy" >&2; exit 1; }

if [ -z "${DATABASE_URL:-}" ]; then
  ADMIN_DATABASE_URL=${ADMIN_DATABASE_URL:-${TEST_POSTGRES_URL:-}}
  [ -n "$ADMIN_DATABASE_URL" ] || {
    echo "Set ADMIN_DATABASE_URL (a PostgreSQL URL allowed to create databases) or DATABASE_URL" >&2
    exit 1
  }
  DATABASE_URL=$("$PY" -m deploy.create_database "$ADMIN_DATABASE_URL" "${DEPLOY_DATABASE:-portal_local}")
fi
export DATABASE_URL
export PORTAL_BASE_URL="http://127.0.0.1:$PORT"
echo "Migrating the database"
"$PY" -m core migrate >/dev/null

run_dir=$(mktemp -d)
pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped (logs were in $run_dir)"
}
trap stop INT TERM EXIT

# Both servers sign Streamlit's own cookies (XSRF) with the same secret.
STREAMLIT_SERVER_COOKIE_SECRET=$("$PY" -c "import secrets; print(secrets.token_urlsafe(32))")
export STREAMLIT_SERVER_COOKIE_SECRET
for i in 1 2; do
  port=$((PORT + i))
  "$PY" -m streamlit run server.py --server.address 127.0.0.1 --server.port "$port" \
    --server.headless true --browser.gatherUsageStats false --server.fileWatcherType none \
    >"$run_dir/server$i.log" 2>&1 &
  pids+=($!)
done
export PORTAL_BIND="127.0.0.1:$PORT" PORTAL_HAPROXY_SOCKET="$run_dir/haproxy.sock"
export PORTAL_SERVER_1="127.0.0.1:$((PORT + 1))" PORTAL_SERVER_2="127.0.0.1:$((PORT + 2))"

check_or_stop() {
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A process stopped; see $run_dir" >&2; tail -n 5 "$run_dir"/*.log >&2; exit 1; }
  done
}

# The balancer starts once both servers answer, and the portal is up once the balancer itself
# counts both servers UP (its own health checks): otherwise the first sessions all land on one.
for _ in $(seq 120); do
  ok=$("$PY" - "http://$PORTAL_SERVER_1" "http://$PORTAL_SERVER_2" <<'PYEOF'
import sys, urllib.request
healthy = 0
for base in sys.argv[1:]:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
            healthy += answer.read() == b"ok"
    except OSError:
        pass
print(healthy)
PYEOF
)
  [ "$ok" = 2 ] && break
  check_or_stop
  sleep 0.5
done
[ "$ok" = 2 ] || { echo "The servers were not healthy after 60 s; see $run_dir" >&2; exit 1; }

"$HAPROXY" -db -f deploy/haproxy.cfg >"$run_dir/haproxy.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
  up=$("$PY" - "$PORTAL_HAPROXY_SOCKET" "$PORTAL_BASE_URL" <<'PYEOF'
import csv, socket, sys, urllib.request
try:
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(2)
        conn.connect(sys.argv[1])
        conn.sendall(b"show stat\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    rows = csv.DictReader(answer.decode().lstrip("# ").splitlines())
    servers = [row for row in rows if row["pxname"] == "streamlit" and row["svname"] in ("s1", "s2")]
    up = sum(row["status"].startswith("UP") for row in servers)
    with urllib.request.urlopen(f"{sys.argv[2]}/_stcore/health", timeout=2) as health:
        up += health.read() == b"ok"
except OSError:
    up = 0
print(up)
PYEOF
)
  [ "$up" = 3 ] && break
  check_or_stop
  sleep 0.5
done
[ "$up" = 3 ] || { echo "The balancer did not count both servers up after 60 s; see $run_dir" >&2; exit 1; }
echo "The portal runs on two servers behind HAProxy: $PORTAL_BASE_URL"
wait -n "${pids[@]}"
echo "A process stopped; see $run_dir" >&2
exit 1
