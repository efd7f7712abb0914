#!/usr/bin/env bash
# Checks a mentorsim signature without mentorsim: the envelope's payload is canonicalised by the
# npm `canonicalize` package (RFC 8785) and the Ed25519 signature checked by openssl.
# Usage: tests/xapi/verify_signature.sh ENVELOPE.json PUBLIC_KEY.pem
#   ENVELOPE.json: a signed JSON export or readiness certificate, or the FILE.sig beside a
#   CSV or xAPI export. Prints openssl's verdict; exits 0 only when the signature is valid.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [[ $# -ne 2 ]]; then
  echo "usage: $0 ENVELOPE.json PUBLIC_KEY.pem" >&2
  exit 2
fi
envelope="$1"
key="$2"
"$here/setup.sh"
tools="${MENTORSIM_TOOLS:-${HOME:-/tmp}/.cache/mentorsim/xapi-tools}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

NODE_PATH="$tools/npm/node_modules" node -e '
  const fs = require("fs");
  const canonicalize = require("canonicalize");
  const [envelope, work] = process.argv.slice(1);
  const signed = JSON.parse(fs.readFileSync(envelope, "utf8"));
  fs.writeFileSync(work + "/payload.json", canonicalize(signed.payload));
  fs.writeFileSync(work + "/signature.bin", Buffer.from(signed.signature.value, "base64"));
' "$envelope" "$work"
openssl pkeyutl -verify -pubin -inkey "$key" -rawin \
  -in "$work/payload.json" -sigfile "$work/signature.bin"
