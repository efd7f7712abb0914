#!/usr/bin/env bash
# Validates an xAPI export (a JSON array of xAPI 1.0.3 statements, as written by
# `mentorsim export --format xapi`) with two independent validators and our cmi5 rules:
#   1. Learning Locker's @learninglocker/xapi-validation (node, ll_validate.js),
#   2. Ralph's BaseXapiStatement pydantic model (python, ralph_validate.py),
#   3. cmi5 statement/session rules (python, cmi5_rules.py).
# Usage: tests/xapi/validate.sh FILE.json
# Prints one line per problem ("statement[I] id=... verb=...: VALIDATOR: ...") and exits 1,
# or ends with "VALID: N statements" and exits 0. Installs the tools first (setup.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -ne 1 ]]; then
  echo "usage: $0 FILE.json" >&2
  exit 2
fi
file="$1"
[[ -r "$file" ]] || { echo "validate: cannot read $file" >&2; exit 2; }

"$here/setup.sh"
tools="${MENTORSIM_TOOLS:-${HOME:-/tmp}/.cache/mentorsim/xapi-tools}"
python="$tools/venv/bin/python"

status=0
NODE_PATH="$tools/npm/node_modules" node "$here/ll_validate.js" "$file" || status=1
"$python" "$here/ralph_validate.py" "$file" || status=1
# cmi5_rules.py prints its own "cmi5 rules: OK" line on success.
"$python" "$here/cmi5_rules.py" "$file" || status=1

if [[ $status -ne 0 ]]; then
  echo "INVALID: $file"
  exit 1
fi
count=$("$python" -c 'import json, sys; print(len(json.load(open(sys.argv[1], encoding="utf-8"))))' "$file")
echo "VALID: $count statements"
