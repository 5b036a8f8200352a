#!/usr/bin/env bash
# Runs several tradein instances on one Postgres database behind HAProxy,
# as a deployment with more than one app server would:
#
#   scripts/cluster.sh          # 3 instances, http://127.0.0.1:3000
#   scripts/cluster.sh 5        # 5 instances
#   scripts/cluster.sh stop     # stops a cluster started with CLUSTER_DETACH=1
#
# DATABASE_URL names the database (default: tradein_cluster on the local
# Postgres, created on first use and seeded with the demo marketplace).
# HAProxy (Debian's package, installed when missing) balances requests over
# the instances, checks each one's /healthz every second and takes one out
# of rotation while it fails; it adds X-Forwarded-For, which the instances
# believe from it alone (TRUSTED_PROXIES=127.0.0.1).
#
# Without CLUSTER_DETACH the cluster runs until Ctrl-C, then everything this
# script started is stopped. With CLUSTER_DETACH=1 it returns once the
# balancer answers, leaving the processes running (their pids in
# CLUSTER_DIR); `scripts/cluster.sh stop` ends them. The bench uses that.
#
# TRADEIN_BIN and TRADEIN_SITE_ROOT use an existing build (otherwise the
# release build of scripts/run.sh is made); CLUSTER_PORT (3000) is the
# balancer's port, the instances listen on the ports after it.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[cluster]\033[0m %s\n' "$*"; }

state_dir="${CLUSTER_DIR:-$PWD/target/cluster}"

stop_all() {
  [ -d "$state_dir" ] || return 0
  for pidfile in "$state_dir"/*.pid; do
    [ -e "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  # Give the instances their graceful stop (jobs handed back), then insist.
  for _ in $(seq 1 50); do
    alive=0
    for pidfile in "$state_dir"/*.pid; do
      [ -e "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pidfile in "$state_dir"/*.pid; do
    [ -e "$pidfile" ] || continue
    kill -9 "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "${1:-}" = stop ]; then
  stop_all
  say "stopped"
  exit 0
fi

instances="${1:-3}"
case "$instances" in
  ''|*[!0-9]*) echo "usage: scripts/cluster.sh [instances] | stop" >&2; exit 2 ;;
esac
port="${CLUSTER_PORT:-3000}"

if ! command -v haproxy >/dev/null 2>&1; then
  say "installing HAProxy (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq haproxy >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; }
fi

if [ -z "${TRADEIN_BIN:-}" ]; then
  scripts/setup.sh
  source scripts/env.sh
  build_release
  TRADEIN_BIN="$TARGET_DIR/release/tradein"
  TRADEIN_SITE_ROOT="${TRADEIN_SITE_ROOT:-$PWD/target/site}"
fi
site_root="${TRADEIN_SITE_ROOT:-$PWD/target/site}"

if [ -z "${DATABASE_URL:-}" ]; then
  source scripts/env.sh
  ensure_postgres
  if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'tradein_cluster'" | grep -q 1; then
    say "creating the database tradein_cluster (with the demo marketplace)"
    createdb -h 127.0.0.1 -U postgres tradein_cluster
    seed=true
  fi
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/tradein_cluster"
fi

stop_all
mkdir -p "$state_dir"
if [ -z "${CLUSTER_DETACH:-}" ]; then
  trap 'stop_all; say "stopped"' EXIT
  trap 'exit 130' INT TERM
fi

secret="${APP_SECRET:-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')}"
servers=""
for i in $(seq 1 "$instances"); do
  p=$((port + i))
  data="$state_dir/instance-$i"
  mkdir -p "$data"
  # Instances share the database and the secret (sessions are good on
  # every one); each has its own data folder. Demo data, when asked, is
  # written by whichever comes first (a start-up lock).
  env -u LEPTOS_OUTPUT_NAME -u LEPTOS_SITE_PKG_DIR -u LEPTOS_RELOAD_PORT -u LEPTOS_HASH_FILES \
    DATABASE_URL="$DATABASE_URL" SEED_DEMO="${SEED_DEMO:-${seed:-false}}" APP_SECRET="$secret" \
    LEPTOS_SITE_ROOT="$site_root" LEPTOS_SITE_ADDR="127.0.0.1:$p" DATA_DIR="$data" \
    MAIL_DIR="${MAIL_DIR:-$state_dir/mail}" PUBLIC_URL="${PUBLIC_URL:-http://127.0.0.1:$port}" \
    TRUSTED_PROXIES=127.0.0.1 LEPTOS_ENV="${LEPTOS_ENV:-DEV}" RUST_LOG="${RUST_LOG:-info,sqlx=warn}" \
    "$TRADEIN_BIN" >"$data/log.txt" 2>&1 &
  echo $! >"$state_dir/instance-$i.pid"
  servers+="    server app$i 127.0.0.1:$p check inter 1s fall 2 rise 1"$'\n'
done

cat >"$state_dir/haproxy.cfg" <<EOF
global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    option http-keep-alive
frontend tradein
    bind 127.0.0.1:$port
    option forwardfor
    http-request set-header X-Forwarded-Proto http
    default_backend instances
backend instances
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
$servers
EOF
haproxy -f "$state_dir/haproxy.cfg" -db >"$state_dir/haproxy.log" 2>&1 &
echo $! >"$state_dir/haproxy.pid"

# Ready when every instance answers its health check, then the balancer.
for i in $(seq 1 "$instances"); do
  p=$((port + i))
  for _ in $(seq 1 600); do
    curl -fsS "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 && break
    if ! kill -0 "$(cat "$state_dir/instance-$i.pid")" 2>/dev/null; then
      cat "$state_dir/instance-$i/log.txt" >&2
      echo "instance $i stopped" >&2
      exit 1
    fi
    sleep 0.2
  done
done
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null
say "$instances instances on $(sed -E 's#(//[^:/]*):[^@]*@#\1:***@#' <<<"$DATABASE_URL") behind HAProxy: http://127.0.0.1:$port (logs in $state_dir)"

if [ -n "${CLUSTER_DETACH:-}" ]; then
  exit 0
fi
say "press Ctrl-C to stop"
wait
