#!/usr/bin/env bash
# How long a trainer waits between saving a scenario and the app showing the change: opens the
# app on a copy of the bundled library on a virtual display, lets it go idle, saves a file with
# a broken link five times (then puts it back), and prints the time from each save to the
# app's log line for the rebuilt library, and the app's CPU use while idle.
# Usage: tests/scripts/hot-reload-latency.sh [path/to/mentorsim]   (needs Xvfb and python3)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${1:-${CARGO_TARGET_DIR:-$here/target}/debug/mentorsim}"
work="$(mktemp -d)"
display=":$((90 + RANDOM % 9))"
cleanup() { kill "${app:-}" "${xvfb:-}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

cp -r "$here/scenarios" "$work/library"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
DISPLAY="$display" RUST_LOG=info NO_COLOR=1 "$bin" --library "$work/library" --data-dir "$work/data" \
  >"$work/app.log" 2>&1 &
app=$!

python3 - "$work" "$app" <<'PY'
import os, re, sys, time, datetime
work, pid = sys.argv[1], int(sys.argv[2])
log = os.path.join(work, "app.log")
target = os.path.join(work, "library/active-listening/not-college-material.scenario.ron")
original = open(target).read()
pattern = re.compile(r"^(\S+Z)\s.*library .*: (\d+) scenario file\(s\), (\d+) error\(s\)")
ansi = re.compile(r"\x1b\[[0-9;]*m")

def rebuilds():
    found = []
    for line in open(log, errors="replace"):
        m = pattern.match(ansi.sub("", line))
        if m:
            when = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
            found.append((when.timestamp(), int(m.group(3))))
    return found

def first_after(moment, limit=90):
    """The first rebuild logged after `moment` (a save can cause more than one)."""
    while time.time() - moment < limit:
        later = [r for r in rebuilds() if r[0] >= moment]
        if later:
            return later[0]
        time.sleep(0.02)
    sys.exit(f"no rebuild within {limit} s of the save; log: {open(log).read()[-2000:]}")

def cpu_seconds():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

first_after(time.time() - 30)
time.sleep(3)
before = cpu_seconds(); time.sleep(5); idle = (cpu_seconds() - before) / 5
latencies = []
for i in range(5):
    time.sleep(3)
    text = original if i % 2 else original.replace('next: "', 'next: "nowhere-', 1)
    saved = time.time()
    tmp = target + ".tmp"
    open(tmp, "w").write(text)
    os.replace(tmp, target)
    when, errors = first_after(saved)
    latencies.append(when - saved)
    print(f"save {i + 1}: shown after {when - saved:.3f} s ({errors} error(s) in the library)")
open(target, "w").write(original)
print(f"idle CPU: {idle * 100:.1f} % of a core; save -> rebuilt library: "
      f"min {min(latencies):.3f} s, max {max(latencies):.3f} s")
PY
