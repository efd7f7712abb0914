#!/usr/bin/env bash
# Starts / stops a throwaway LRS that takes many writes: Learning Locker's xAPI statements
# service (npm xapi-statements@5.0.1, in-memory store, no database), on loopback, for tests.
# Usage: lrs-multi.sh start PORT DIR   -> prints http://127.0.0.1:PORT/xAPI/
#        lrs-multi.sh stop DIR
#        lrs-multi.sh paging-safe SECONDS -> sleeps, if need be, so that the next SECONDS
#          hold no "cursor wrap" (see below); prints how long it waited
# HTTP basic auth: user "trainer", password "s3cret" (DIR/auth.json). Log in DIR/lrs.log,
# pid in DIR/lrs.pid; the server runs in its own session and `stop` ends that process group.
# Statements are kept in the server's memory only: they are gone after `stop`.
# Paging quirk: the in-memory store gives each statement a time-based UUID (v1) and its `more`
# cursor compares those as strings, which breaks every 2^32 x 100 ns = 429.5 s when the
# UUID's low time field wraps: a GET paged through `more` then misses the statements stored
# before the wrap (a single page with a big enough `limit` still returns all). A test that
# writes and then pages through `more` should first run `paging-safe SECONDS` (SECONDS = how
# long its writes and reads take; it waits at most SECONDS + 1 s).
# Installs with lrs-multi-setup.sh (once, then offline); lrs-server.js beside this script is
# the launcher.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=service.sh
source "$here/service.sh"
USER_NAME=trainer
PASSWORD=s3cret

usage() { echo "usage: $0 start PORT DIR | $0 stop DIR | $0 paging-safe SECONDS" >&2; exit 2; }
fail() { echo "lrs-multi: $*" >&2; exit 1; }

running() { service_running "$1/lrs.pid"; }

start() {
  local port="$1" dir="$2"
  [[ "$port" =~ ^[0-9]+$ ]] || usage
  command -v curl >/dev/null || fail "curl not found"
  "$here/lrs-multi-setup.sh"
  local tools="${MENTORSIM_LRS_TOOLS:-${HOME:-/tmp}/.cache/mentorsim/lrs-multi}"

  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  running "$dir" && fail "an LRS is already running for $dir (pid $(cat "$dir/lrs.pid")); stop it first"
  port_taken "$port" && fail "port $port on 127.0.0.1 is already in use"

  # Fresh credentials every start.
  printf '[{"user": "%s", "password": "%s", "mbox": "mailto:trainer@example.org"}]\n' \
    "$USER_NAME" "$PASSWORD" >"$dir/auth.json"
  : >"$dir/lrs.log"

  rm -f "$dir/lrs.pid"
  # cwd is DIR: xapi-statements reads an optional .env from its working directory.
  (cd "$dir" && exec setsid bash -c 'echo $$ >lrs.pid; exec "$@"' lrs-multi \
    env NODE_PATH="$tools/npm/node_modules" LRS_PORT="$port" LRS_AUTH_FILE="$dir/auth.json" \
    LRS_STORAGE_DIR="$dir/storage" node "$here/lrs-server.js" \
    >>"$dir/lrs.log" 2>&1 </dev/null &)

  # Ready when our process has logged that it listens on the port and an authenticated
  # GET /statements answers 200 (the log check keeps a racing server on the port from counting).
  local url="http://127.0.0.1:$port"
  if service_await "LRS" "$dir/lrs.pid" "$dir/lrs.log" "lrs-server: listening on $url/xAPI/" \
    curl -fsS -o /dev/null -u "$USER_NAME:$PASSWORD" -H 'X-Experience-API-Version: 1.0.3' \
    "$url/xAPI/statements?limit=1"; then
    echo "$url/xAPI/"
    return 0
  fi
  stop "$dir" >/dev/null 2>&1 || true
  exit 1
}

stop() { service_stop "$1/lrs.pid"; }

# UUID v1 time: 100-ns ticks since 1582-10-15; its low 32 bits start the string form.
paging_safe() {
  local window="$1" ns ticks left
  [[ "$window" =~ ^[0-9]+$ ]] || usage
  ns="$(date +%s%N)"
  ticks=$(( ns / 100 + 0x01B21DD213814000 ))
  left=$(( (1 << 32) - ticks % (1 << 32) ))           # ticks until the next wrap
  if (( left <= (window + 1) * 10000000 )); then
    local ms=$(( left / 10000 + 500 ))                  # just past the wrap
    sleep "$(( ms / 1000 )).$(printf '%03d' $(( ms % 1000 )))"
    echo "waited $(( ms / 1000 )).$(printf '%03d' $(( ms % 1000 ))) s for a cursor wrap to pass"
  else
    echo "waited 0 s (next cursor wrap in $(( left / 10000000 )) s)"
  fi
}

case "${1:-}" in
  paging-safe) [[ $# -eq 2 ]] || usage; paging_safe "$2" ;;
  start) [[ $# -eq 3 ]] || usage; start "$2" "$3" ;;
  stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
  *) usage ;;
esac
