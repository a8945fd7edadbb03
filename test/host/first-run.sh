#!/usr/bin/env bash
# Proves the README's first command works from an empty code-server cache:
# runs `npm start` as a user does, waits until it prints the workbench URL,
# checks that the URL answers with the VS Code workbench, then stops it.
# Used by .ci/run; set PAVED_ROAD_HOST_CACHE to an empty folder first.
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
started=$(date +%s)
# its own session (process group), so everything it started can be stopped
setsid npm start >"$log" 2>&1 </dev/null &
pid=$!
stop() {
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
trap stop EXIT
url=""
while [ -z "$url" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "npm start exited before printing the URL:" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
  if [ $(( $(date +%s) - started )) -gt 900 ]; then
    echo "npm start printed no URL within 15 minutes:" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
  sleep 2
  url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/[^ ]*' "$log" | head -n 1 || true)
done
elapsed=$(( $(date +%s) - started ))
page=$(curl -fsS --max-time 30 "$url")
if ! grep -q 'vscode' <<<"$page"; then
  echo "the URL npm start printed ($url) does not serve the VS Code workbench" >&2
  exit 1
fi
grep -E '^\[host\]' "$log" || true
echo "npm start printed its URL after ${elapsed} s (code-server cache was empty), and the workbench answers"
