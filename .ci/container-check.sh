#!/usr/bin/env bash
# What can be checked of the container image without a container daemon (docs/operations.md):
# static checks of the Dockerfile and compose.yaml, then the image's own install, build and start
# commands on a clean copy of the repository (HEAD), ending with /health/ready answered.
# Usage: bash .ci/container-check.sh [--static]   (--static: the file checks only, as CI runs it;
# the full run installs twice and takes minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

fail() { echo "container-check: $*" >&2; exit 1; }

grep -q '^USER node$' Dockerfile || fail 'Dockerfile: runtime stage must run as the non-root node user'
grep -q '^HEALTHCHECK .*' Dockerfile && grep -q '/health/ready' Dockerfile || fail 'Dockerfile: HEALTHCHECK on /health/ready missing'
grep -q '^CMD \["node", "dist/src/main.js"\]$' Dockerfile || fail 'Dockerfile: entry point must be node dist/src/main.js'
grep -q 'npm ci --omit=dev' Dockerfile || fail 'Dockerfile: runtime dependencies must be production-only'
[ "$(grep -c '^FROM ' Dockerfile)" -ge 2 ] || fail 'Dockerfile: expected a multi-stage build'
grep -q '"127.0.0.1:3001:3001"' compose.yaml || fail 'compose.yaml: admin port must be published on loopback only'
if grep -Eq '^\s*-\s*"?3001:3001' compose.yaml; then fail 'compose.yaml: admin port published beyond loopback'; fi

if [ "${1:-}" = "--static" ]; then
  echo "container-check: Dockerfile and compose.yaml static checks passed"
  exit 0
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Build stage: a clean checkout, npm ci, build; then production-only dependencies, as the image does.
git archive HEAD | tar -x -C "$work"
cd "$work"
npm ci --no-audit --no-fund --prefer-offline >/dev/null
npm run build >/dev/null
npm ci --omit=dev --no-audit --no-fund --prefer-offline >/dev/null
# (typescript may stay: a production package declares it as a peer; jest and eslint are dev-only.)
[ ! -d node_modules/jest ] && [ ! -d node_modules/eslint ] || fail 'production install still has dev dependencies'

# Runtime stage: the image's CMD with the image's environment, on SQLite and the in-process store.
port=$(( 20000 + RANDOM % 20000 ))
admin=$(( port + 1 ))
env -i PATH="$PATH" NODE_ENV=production HOST=127.0.0.1 PORT=$port ADMIN_HOST=127.0.0.1 ADMIN_PORT=$admin \
  KEY_ENCRYPTION_SECRET=container-check-secret-0123456789abcdef01 \
  ADMIN_TOKEN=container-check-admin-token-0123456789abcdef LOG_LEVEL=warn \
  node dist/src/main.js >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  if node -e "fetch('http://127.0.0.1:$admin/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    echo "container-check: production install started and /health/ready answered 200"
    exit 0
  fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail 'server exited'; }
  sleep 1
done
cat "$work/server.log" >&2
fail '/health/ready did not answer within 120 s'
