#!/usr/bin/env bash
# Installs the independent xAPI checking tools used by tests/xapi/*.sh:
#   - a Python venv with ralph-malph (BaseXapiStatement model + Ralph LRS) and requests,
#   - an npm project with Learning Locker's @learninglocker/xapi-validation, and canonicalize
#     (RFC 8785 JSON canonicalisation, by the RFC's co-author) for checking signatures with
#     openssl rather than with mentorsim's own code.
# Location: ${MENTORSIM_TOOLS:-$HOME/.cache/mentorsim/xapi-tools}/{venv,npm}.
# Idempotent: when the marker file matches the pinned versions it returns at once, offline.
# Safe to call from several processes at once (installs are serialised with flock).
set -euo pipefail

PY_PACKAGES=("ralph-malph[lrs,cli]==5.1.0" "requests")
NPM_PACKAGES=("@learninglocker/xapi-validation@3.0.0" "canonicalize@2.1.0")

TOOLS="${MENTORSIM_TOOLS:-${HOME:-/tmp}/.cache/mentorsim/xapi-tools}"
VENV="$TOOLS/venv"
NPM_DIR="$TOOLS/npm"
MARKER="$TOOLS/installed.txt"
WANT="xapi-tools v2; pip: ${PY_PACKAGES[*]}; npm: ${NPM_PACKAGES[*]}"

log=""
fail() {
  echo "xapi setup: $*" >&2
  if [[ -n "$log" && -s "$log" ]]; then
    echo "xapi setup: last lines of $log:" >&2
    tail -n 15 "$log" | sed 's/^/  | /' >&2
  fi
  exit 1
}

installed() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$WANT" ]] \
    && [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c '' 2>/dev/null \
    && [[ -f "$NPM_DIR/node_modules/@learninglocker/xapi-validation/package.json" ]] \
    && [[ -f "$NPM_DIR/node_modules/canonicalize/package.json" ]]
}

# Fast path: nothing to do.
if installed; then exit 0; fi

command -v python3 >/dev/null || fail "python3 not found (need Python >= 3.9 with the venv module)"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' \
  || fail "python3 is $(python3 -V 2>&1); ralph-malph 5.1.0 needs Python >= 3.9"
command -v node >/dev/null || fail "node not found (need Node.js >= 14)"
command -v npm >/dev/null || fail "npm not found"

mkdir -p "$TOOLS" || fail "cannot create $TOOLS"
exec 9>"$TOOLS/.lock"
flock 9
# Another process may have finished the install while we waited for the lock.
if installed; then exit 0; fi

echo "xapi setup: installing checking tools into $TOOLS (needs network once)" >&2
rm -f "$MARKER"
rm -rf "$VENV" "$NPM_DIR"
log="$TOOLS/setup.log"
: >"$log"

python3 -m venv "$VENV" >>"$log" 2>&1 \
  || fail "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv); see $log"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PY_PACKAGES[@]}" >>"$log" 2>&1 \
  || fail "pip install ${PY_PACKAGES[*]} failed; see $log"
"$VENV/bin/python" -c 'from ralph.models.xapi.base.statements import BaseXapiStatement' >>"$log" 2>&1 \
  || fail "ralph's BaseXapiStatement does not import; see $log"

mkdir -p "$NPM_DIR"
cat >"$NPM_DIR/package.json" <<'JSON'
{ "name": "mentorsim-xapi-tools", "version": "0.0.0", "private": true }
JSON
(cd "$NPM_DIR" && npm install --no-audit --no-fund --save-exact --loglevel=error "${NPM_PACKAGES[@]}") >>"$log" 2>&1 \
  || fail "npm install ${NPM_PACKAGES[*]} failed; see $log"
(cd "$NPM_DIR" && node -e "require('@learninglocker/xapi-validation'); require('canonicalize')") >>"$log" 2>&1 \
  || fail "@learninglocker/xapi-validation or canonicalize does not load; see $log"

# Marker last, atomically: its presence means everything above succeeded.
echo "$WANT" >"$MARKER.tmp" && mv "$MARKER.tmp" "$MARKER"
echo "xapi setup: done" >&2
