# Sourced: start_server NAME CMD… runs a loopback server in the background, waits for its
# "…_READY http://127.0.0.1:PORT" line, sets SERVER_URL, and stops it when the script exits.
SERVER_PIDS=()
stop_servers() {
  for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVER_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_servers EXIT

start_server() {
  local name=$1; shift
  local log="tests/out/$name.log"
  mkdir -p tests/out
  "$@" > "$log" 2>&1 &
  SERVER_PIDS+=($!)
  for _ in $(seq 1 300); do
    SERVER_URL=$(grep -m1 -oE '_READY https?://[^ ]+' "$log" | cut -d' ' -f2 || true)
    if [[ -n "$SERVER_URL" ]]; then
      echo "$name listening on $SERVER_URL"
      return 0
    fi
    kill -0 "${SERVER_PIDS[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "$name did not start; its log:" >&2
  cat "$log" >&2
  return 1
}
