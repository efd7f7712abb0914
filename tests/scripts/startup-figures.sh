#!/usr/bin/env bash
# Starts the app RUNS times (default 3) in a real window on a virtual display with software
# Vulkan and prints, for each run, how long the first frame took (the app's own log line) and
# the peak resident memory (VmHWM) once it has drawn and settled. Usage:
#   tests/scripts/startup-figures.sh [BINARY] [RUNS]
# Needs Xvfb and mesa-vulkan-drivers; uses display :58 and a throwaway data folder.
set -euo pipefail
binary="${1:-target/debug/mentorsim}"
runs="${2:-3}"
display=:58
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null || true' EXIT
sleep 1
for run in $(seq 1 "$runs"); do
  data="$(mktemp -d)"
  log="$data/app.log"
  DISPLAY="$display" "$binary" --data-dir "$data" >"$log" 2>&1 &
  app=$!
  for _ in $(seq 1 200); do
    grep -q "first frame drawn" "$log" && break
    sleep 0.1
  done
  sleep 3
  peak_kb="$(awk '/VmHWM/ {print $2}' "/proc/$app/status")"
  kill "$app"
  wait "$app" 2>/dev/null || true
  first="$(grep -o 'first frame drawn [0-9]* ms' "$log" | grep -o '[0-9]*' || echo '?')"
  echo "run $run: first frame ${first} ms, peak RSS $((peak_kb / 1024)) MB"
  rm -rf "$data"
done
