# Sourced by lrs.sh and lrs-multi.sh: a test server started in its own session, known by its
# pid file, waited for until it answers, and stopped with its whole process group.

# service_running PIDFILE: whether the server it names is alive.
service_running() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# port_taken PORT: whether something already listens on 127.0.0.1:PORT (it would answer the
# readiness probe in our server's place).
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# service_await NAME PIDFILE LOG LOGLINE PROBE...: waits up to 30 s until the server has logged
# LOGLINE and PROBE succeeds (the log check keeps a racing server on the port from counting).
service_await() {
  local name="$1" pidfile="$2" log="$3" line="$4"
  shift 4
  for _ in $(seq 1 60); do
    if [[ -f "$pidfile" ]] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 20 "$log" >&2
      rm -f "$pidfile"
      echo "$name exited during start-up (port in use?); log: $log" >&2
      return 1
    fi
    if grep -q "$line" "$log" && "$@" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  tail -n 20 "$log" >&2
  echo "$name did not answer within 30 s; log: $log" >&2
  return 1
}

# service_stop PIDFILE: ends the server's process group (TERM, then KILL after 10 s).
service_stop() {
  local pidfile="$1" pid
  if [[ ! -f "$pidfile" ]]; then
    echo "no $pidfile; nothing to stop" >&2
    return 0
  fi
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}
