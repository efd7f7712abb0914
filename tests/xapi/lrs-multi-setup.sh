#!/usr/bin/env bash
# Installs the multi-write test LRS used by lrs-multi.sh: Learning Locker's xAPI statements
# service, npm xapi-statements@5.0.1 (run with its in-memory store; needs no database).
# Location: ${MENTORSIM_LRS_TOOLS:-$HOME/.cache/mentorsim/lrs-multi}/npm.
# With lrs-multi.package-lock.json beside this script the install is `npm ci` from that lock
# (the same dependency tree every time); without it, `npm install` (and the lock it writes is
# left in the npm dir, to be copied beside this script).
# Idempotent: when the marker file matches, it returns at once, offline.
# Safe to call from several processes at once (installs are serialised with flock).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
XAPI_STATEMENTS_VERSION=5.0.1
LOCK="$here/lrs-multi.package-lock.json"

TOOLS="${MENTORSIM_LRS_TOOLS:-${HOME:-/tmp}/.cache/mentorsim/lrs-multi}"
NPM_DIR="$TOOLS/npm"
MARKER="$TOOLS/installed.txt"
lock_sum="none"
[[ -f "$LOCK" ]] && lock_sum="$(sha256sum "$LOCK" | cut -c1-16)"
WANT="lrs-multi v1; npm: xapi-statements@$XAPI_STATEMENTS_VERSION; lock: $lock_sum"

log=""
fail() {
  echo "lrs-multi setup: $*" >&2
  if [[ -n "$log" && -s "$log" ]]; then
    echo "lrs-multi setup: last lines of $log:" >&2
    tail -n 15 "$log" | sed 's/^/  | /' >&2
  fi
  exit 1
}

installed() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$WANT" ]] \
    && [[ -f "$NPM_DIR/node_modules/xapi-statements/dist/server.js" ]]
}

if installed; then exit 0; fi

command -v node >/dev/null || fail "node not found (need Node.js; tested with v20)"
command -v npm >/dev/null || fail "npm not found"

mkdir -p "$TOOLS" || fail "cannot create $TOOLS"
exec 9>"$TOOLS/.lock"
flock 9
if installed; then exit 0; fi

echo "lrs-multi setup: installing xapi-statements@$XAPI_STATEMENTS_VERSION into $TOOLS (needs network once)" >&2
rm -f "$MARKER"
rm -rf "$NPM_DIR"
mkdir -p "$NPM_DIR"
log="$TOOLS/setup.log"
: >"$log"

cat >"$NPM_DIR/package.json" <<JSON
{
  "name": "mentorsim-lrs-multi",
  "version": "0.0.0",
  "private": true,
  "dependencies": { "xapi-statements": "$XAPI_STATEMENTS_VERSION" }
}
JSON
# xapi-statements declares engines "node 6 - 8"; it runs on current Node (tested on 20), so
# the engine warning is expected. Its lifecycle scripts are not needed: --ignore-scripts.
npm_flags=(--no-audit --no-fund --ignore-scripts --loglevel=error)
if [[ -f "$LOCK" ]]; then
  cp "$LOCK" "$NPM_DIR/package-lock.json"
  (cd "$NPM_DIR" && npm ci "${npm_flags[@]}") >>"$log" 2>&1 \
    || fail "npm ci (xapi-statements@$XAPI_STATEMENTS_VERSION) failed; see $log"
else
  (cd "$NPM_DIR" && npm install "${npm_flags[@]}") >>"$log" 2>&1 \
    || fail "npm install xapi-statements@$XAPI_STATEMENTS_VERSION failed; see $log"
fi
(cd "$NPM_DIR" && node -e "require.resolve('xapi-statements/dist/server'); require('xapi-statements/dist/config')") >>"$log" 2>&1 \
  || fail "xapi-statements does not load; see $log"

echo "$WANT" >"$MARKER.tmp" && mv "$MARKER.tmp" "$MARKER"
echo "lrs-multi setup: done" >&2
