#!/usr/bin/env bash
# Starts / stops a throwaway Ralph LRS (ralph-malph, fs backend) on loopback for tests.
# Usage: tests/xapi/lrs.sh start PORT DIR   -> prints http://127.0.0.1:PORT/xAPI/
#        tests/xapi/lrs.sh stop DIR
# HTTP basic auth: user "trainer", password "s3cret". Statements are stored under DIR
# (DIR/fs_lrs.jsonl); ralph's settings (auth.json) in DIR/ralph-app; log in DIR/ralph.log;
# pid in DIR/ralph.pid. The server runs in its own session; `stop` ends that process group.
# Note: ralph's fs backend creates its statements file once, so send all statements in ONE
# POST per LRS: a later POST with any new statement answers 500 (re-posting only statements
# already stored answers 204; the same id with different content answers 409).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=service.sh
source "$here/service.sh"
USER_NAME=trainer
PASSWORD=s3cret

usage() { echo "usage: $0 start PORT DIR | $0 stop DIR" >&2; exit 2; }
fail() { echo "lrs: $*" >&2; exit 1; }

running() { service_running "$1/ralph.pid"; }

start() {
  local port="$1" dir="$2"
  [[ "$port" =~ ^[0-9]+$ ]] || usage
  command -v curl >/dev/null || fail "curl not found"
  "$here/setup.sh"
  local tools="${MENTORSIM_TOOLS:-${HOME:-/tmp}/.cache/mentorsim/xapi-tools}"
  local python="$tools/venv/bin/python"

  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  running "$dir" && fail "an LRS is already running for $dir (pid $(cat "$dir/ralph.pid")); stop it first"
  # Something else listening there would answer our readiness probe.
  port_taken "$port" && fail "port $port on 127.0.0.1 is already in use"

  # Ralph reads its settings from the environment. This is the same app `ralph runserver -b fs`
  # serves, but started with uvicorn directly, without runserver's auto-reloader (a watcher
  # process). RALPH_RUNSERVER_BACKEND must be set for `ralph auth` too.
  export RALPH_APP_DIR="$dir/ralph-app"
  export RALPH_RUNSERVER_BACKEND=fs
  export RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH="$dir"

  # Fresh credentials: ralph auth -w appends to RALPH_APP_DIR/auth.json.
  rm -f "$RALPH_APP_DIR/auth.json"
  mkdir -p "$RALPH_APP_DIR"
  "$tools/venv/bin/ralph" auth -u "$USER_NAME" -p "$PASSWORD" -s all \
    -M mailto:trainer@example.org -w >"$dir/ralph.log" 2>&1 \
    || fail "ralph auth failed; see $dir/ralph.log"

  rm -f "$dir/ralph.pid"  # a stale one from a crashed run would read as "exited"
  (cd "$dir" && exec setsid bash -c 'echo $$ >ralph.pid; exec "$@"' ralph-lrs \
    "$python" -m uvicorn ralph.api:app --host 127.0.0.1 --port "$port" --log-level info \
    >>"$dir/ralph.log" 2>&1 </dev/null &)

  # Ready when our process has logged that it listens on the port and /whoami accepts the
  # credentials (checking the log too keeps a racing server on the same port from counting).
  local url="http://127.0.0.1:$port"
  if service_await "Ralph LRS" "$dir/ralph.pid" "$dir/ralph.log" "Uvicorn running on $url" \
    curl -fsS -o /dev/null -u "$USER_NAME:$PASSWORD" "$url/whoami"; then
    echo "$url/xAPI/"
    return 0
  fi
  stop "$dir" >/dev/null 2>&1 || true
  exit 1
}

stop() { service_stop "$1/ralph.pid"; }

case "${1:-}" in
  start) [[ $# -eq 3 ]] || usage; start "$2" "$3" ;;
  stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
  *) usage ;;
esac
