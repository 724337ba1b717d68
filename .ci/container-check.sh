#!/usr/bin/env bash
# What can be checked of the container image without a container daemon (docs/operations.md
# "Container"): static checks of the Dockerfile and compose.yaml against the configuration schema,
# then the image's runtime stage on this machine: exactly what the Dockerfile copies (dist/,
# package.json, package-lock.json, node_modules) in a temporary folder, production dependencies only,
# started with the Dockerfile's CMD as an unprivileged user with the environment compose.yaml gives;
# /health/ready through the Dockerfile's own HEALTHCHECK command, discovery, /metrics, SIGTERM.
# Usage: bash .ci/container-check.sh [--static | --runtime]
#   --static   the file checks only (seconds)
#   --runtime  the file checks, then the runtime stage from THIS checkout's dist/ and node_modules
#              (after npm ci and npm run build; `npm prune --omit=dev`, no recompilation: about a minute)
#   (none)     the file checks, then the image's own install and build on a clean copy of HEAD
#              (git archive, npm ci, build, npm ci --omit=dev) and the same runtime stage: many minutes
# CONTAINER_CHECK_DATABASE_URL / CONTAINER_CHECK_REDIS_URL replace compose's postgres and redis
# services (unset: SQLite in the image's /app/data and the in-process store).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mode=${1:-full}

fail() { echo "container-check: $*" >&2; exit 1; }

grep -q '^USER node$' Dockerfile || fail 'Dockerfile: runtime stage must run as the non-root node user'
grep -q '^HEALTHCHECK .*' Dockerfile && grep -q '/health/ready' Dockerfile || fail 'Dockerfile: HEALTHCHECK on /health/ready missing'
grep -q '^CMD \["node", "dist/src/main.js"\]$' Dockerfile || fail 'Dockerfile: entry point must be node dist/src/main.js'
grep -q 'npm ci --omit=dev' Dockerfile || fail 'Dockerfile: runtime dependencies must be production-only'
[ "$(grep -c '^FROM ' Dockerfile)" -ge 2 ] || fail 'Dockerfile: expected a multi-stage build'
grep -q '"127.0.0.1:3001:3001"' compose.yaml || fail 'compose.yaml: admin port must be published on loopback only'
if grep -Eq '^\s*-\s*"?3001:3001' compose.yaml; then fail 'compose.yaml: admin port published beyond loopback'; fi

# The runtime stage copies exactly these from the build stage (the --runtime check copies the same).
copies=$(sed -n 's/^COPY --from=build --chown=node:node //p' Dockerfile | tr '\n' ' ')
[ "$copies" = '/app/package.json /app/package-lock.json ./ /app/node_modules ./node_modules /app/dist ./dist ' ] ||
  fail "Dockerfile: the runtime stage copies '$copies'; update .ci/container-check.sh --runtime to copy the same"
node .ci/container-env.mjs

if [ "$mode" = "--static" ]; then
  echo "container-check: Dockerfile and compose.yaml static checks passed"
  exit 0
fi
[ "$mode" = "--runtime" ] || [ "$mode" = "full" ] || fail "unknown option $mode"
started=$(date +%s)

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
app="$work/app"
mkdir "$app"

if [ "$mode" = "full" ]; then
  # Build stage: a clean checkout, npm ci, build; then the image's production-only install.
  git archive HEAD | tar -x -C "$work" --one-top-level=build
  (cd "$work/build" && npm ci --no-audit --no-fund --prefer-offline >/dev/null && npm run build >/dev/null)
  cp -a "$work/build/dist" "$work/build/package.json" "$work/build/package-lock.json" "$app/"
  (cd "$app" && npm ci --omit=dev --no-audit --no-fund --prefer-offline >/dev/null)
else
  # Runtime stage from this checkout (CI has just run npm ci and npm run build here): the same
  # files, then dev dependencies removed without reinstalling or recompiling anything.
  [ -f dist/src/main.js ] && [ -d node_modules ] || fail '--runtime needs npm ci and npm run build first'
  cp -a dist package.json package-lock.json "$app/"
  mkdir "$app/node_modules"
  cp -a node_modules/. "$app/node_modules/"
  (cd "$app" && npm prune --omit=dev --no-audit --no-fund >/dev/null)
fi

# No devDependency left (package-lock.json "dev": true). typescript is "devOptional": a devDependency
# and an optional peer of @nestjs/swagger (used by its build-time plugin only), which npm keeps with
# --omit=dev; allowed, on the condition that nothing in dist/ imports it.
(cd "$app" && node -e '
  const { existsSync, readdirSync, readFileSync } = require("node:fs");
  const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
  const left = Object.entries(lock.packages).filter(([p, m]) => p && (m.dev || m.devOptional) && existsSync(p)).map(([p]) => p);
  const allowed = new Set(["node_modules/typescript"]);
  const bad = left.filter((p) => !allowed.has(p));
  if (bad.length) { console.error("container-check: dev dependencies left: " + bad.join(" ")); process.exit(1); }
  const files = readdirSync("dist", { recursive: true }).filter((f) => f.endsWith(".js"));
  const importers = files.filter((f) => /from .typescript.|require\(.typescript.\)|import\(.typescript.\)/.test(readFileSync("dist/" + f, "utf8")));
  if (importers.length) { console.error("container-check: dist imports typescript: " + importers.join(" ")); process.exit(1); }
  console.log("container-check: production install: " + readdirSync("node_modules").length + " top-level entries, no dev dependency" + (left.length ? " (kept: " + left.join(" ") + ", optional peer)" : ""));
')
mkdir -p "$app/data"

# The image runs as the node user (uid 1000) and owns /app; as root here we do the same with setpriv.
as_user=()
if [ "$(id -u)" = 0 ]; then
  chown -R 1000:1000 "$app"
  chmod 755 "$work"
  as_user=(setpriv --reuid=1000 --regid=1000 --clear-groups)
else
  echo "container-check: not root: the server runs as $(id -un), not as uid 1000"
fi

# The environment: the Dockerfile's ENV and compose's tessera environment, with fresh secrets; the
# listeners on loopback (this is a shared machine) on free ports; compose's postgres/redis services
# replaced as documented above.
port=$(( 20000 + RANDOM % 20000 ))
admin=$(( port + 1 ))
secret() { node -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))'; }
mapfile -t runtime_env < <(KEY_ENCRYPTION_SECRET=$(secret) COOKIE_SECRET=$(secret) ADMIN_TOKEN=$(secret) \
  ISSUER="http://localhost:$port" node .ci/container-env.mjs --env)
overrides=(HOST=127.0.0.1 PORT=$port ADMIN_HOST=127.0.0.1 ADMIN_PORT=$admin)
if [ -n "${CONTAINER_CHECK_DATABASE_URL:-}" ]; then overrides+=(DATABASE_URL="$CONTAINER_CHECK_DATABASE_URL"); fi
if [ -n "${CONTAINER_CHECK_REDIS_URL:-}" ]; then overrides+=(REDIS_URL="$CONTAINER_CHECK_REDIS_URL"); fi
filtered=()
for kv in "${runtime_env[@]}"; do
  case "${kv%%=*}" in
    DATABASE_URL) [ -n "${CONTAINER_CHECK_DATABASE_URL:-}" ] || continue ;;
    REDIS_URL) [ -n "${CONTAINER_CHECK_REDIS_URL:-}" ] || continue ;;
  esac
  filtered+=("$kv")
done
run_env=(env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$app" "${filtered[@]}" "${overrides[@]}")
healthcheck=$(node .ci/container-env.mjs --healthcheck)
shutdown_bound=$(printf '%s\n' "${run_env[@]}" | sed -n 's/^SHUTDOWN_TIMEOUT=//p')
shutdown_bound=$(( ${shutdown_bound:-10} + 5 ))

cd "$app"
"${as_user[@]}" "${run_env[@]}" node dist/src/main.js >"$work/server.log" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 120); do
  if "${as_user[@]}" "${run_env[@]}" node -e "$healthcheck"; then ready=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail 'server exited before it was ready'; }
  sleep 1
done
[ -n "$ready" ] || { cat "$work/server.log" >&2; fail '/health/ready did not answer 200 within 120 s'; }
echo "container-check: started as uid $(stat -c %u /proc/$server_pid); the Dockerfile's HEALTHCHECK passed"

metadata=$(curl -fsS "http://127.0.0.1:$port/.well-known/oauth-authorization-server") ||
  { cat "$work/server.log" >&2; fail 'discovery did not answer 200'; }
issuer=$(node -e 'console.log(JSON.parse(process.argv[1]).issuer)' "$metadata")
[ "$issuer" = "http://localhost:$port" ] || fail "discovery issuer is $issuer"
curl -fsS "http://127.0.0.1:$admin/metrics" | grep -q '^# TYPE ' || fail '/metrics on the admin listener did not answer'

kill -TERM "$server_pid"
stopped=""
for _ in $(seq 1 $(( shutdown_bound * 5 ))); do
  if ! kill -0 "$server_pid" 2>/dev/null; then stopped=1; break; fi
  sleep 0.2
done
[ -n "$stopped" ] || { cat "$work/server.log" >&2; fail "still running ${shutdown_bound} s after SIGTERM"; }
status=0
wait "$server_pid" || status=$?
server_pid=""
# 0, or 143 (SIGTERM re-raised by Nest's shutdown hooks after the drain: docs/operations.md "Start-up
# and exit codes"); 1 means the drain overran SHUTDOWN_TIMEOUT.
[ "$status" = 0 ] || [ "$status" = 143 ] || { cat "$work/server.log" >&2; fail "exited with $status after SIGTERM"; }
grep -q 'SIGTERM: draining' "$work/server.log" || fail 'no drain logged after SIGTERM'
echo "container-check: discovery and /metrics answered; SIGTERM drained and stopped it (status $status) within ${shutdown_bound} s; $(( $(date +%s) - started )) s in all"
