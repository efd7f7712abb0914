#!/usr/bin/env bash
# Checks the checkers: validate.sh must accept samples/valid-attempt.json and reject each
# samples/broken-*.json with the expected complaints (so a validator that silently stops
# working cannot make CI green). Usage: tests/xapi/selftest.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
samples="$here/samples"
failures=0

# expect FILE RC SUBSTRING...: validate.sh exits with RC and its output holds every SUBSTRING.
expect() {
  local file="$1" want_rc="$2" out rc=0
  shift 2
  out="$("$here/validate.sh" "$samples/$file" 2>&1)" || rc=$?
  if [[ $rc -ne $want_rc ]]; then
    echo "selftest: $file: validate.sh exited $rc, expected $want_rc" >&2
    printf '%s\n' "$out" | sed 's/^/  | /' >&2
    failures=$((failures + 1))
    return
  fi
  local needle
  for needle in "$@"; do
    if ! grep -qF -- "$needle" <<<"$out"; then
      echo "selftest: $file: output lacks \"$needle\"" >&2
      printf '%s\n' "$out" | sed 's/^/  | /' >&2
      failures=$((failures + 1))
    fi
  done
}

expect valid-attempt.json 0 "cmi5 rules: OK (1 registrations)" "VALID: 7 statements"
expect broken-score-on-completed.json 1 \
  "verb=completed: cmi5-rules: result.score is allowed only on passed/failed" \
  "verb=passed: ll-xapi-validation: result.score.scaled" \
  "verb=passed: ralph-BaseXapiStatement: result.score.scaled"
expect broken-order.json 1 \
  "verb=initialized: cmi5-rules: initialized is not the first statement of its registration by timestamp" \
  "verb=terminated: cmi5-rules: terminated is not the last statement of its registration in array order"
expect broken-fields.json 1 \
  "verb=answered: ll-xapi-validation: result.duration" \
  "verb=answered: ralph-BaseXapiStatement: result.duration" \
  "verb=terminated: ll-xapi-validation: context.registration" \
  "verb=terminated: ralph-BaseXapiStatement: context.registration" \
  "verb=attempted: cmi5-rules: actor has no account" \
  "verb=answered: cmi5-rules: answered: result.response 'ask-hr' is not one of the choice ids" \
  "verb=passed: cmi5-rules: carries success/completion but no moveon category"

if [[ $failures -ne 0 ]]; then
  echo "selftest: $failures failure(s)" >&2
  exit 1
fi
echo "xapi selftest: OK"
