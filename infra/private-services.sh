#!/usr/bin/env bash
# Sourced by infra/test.sh and infra/benchmark.sh: on a fresh Debian machine with only the .NET SDK
# it installs RabbitMQ, PostgreSQL and Chromium if they are missing, starts a private broker on
# 127.0.0.1 (own node name, ports and data folder, so it never meets another broker on the machine)
# and a throw-away PostgreSQL cluster, exports where they are, and stops both when the caller exits,
# also when it fails. IHUB_WITHOUT_POSTGRES=1 skips PostgreSQL; IHUB_WITHOUT_BROKER=1 skips the broker
# (infra/cluster.sh starts a cluster of its own).

log() { printf '[test.sh] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_rabbitmq() {
  if command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ]; then
    return
  fi
  log "rabbitmq-server is missing; installing Debian's package"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -q --no-install-recommends rabbitmq-server; then
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends rabbitmq-server
  fi
}

install_postgresql() {
  if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    return
  fi
  log "PostgreSQL is missing; installing Debian's package"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -q --no-install-recommends postgresql; then
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends postgresql
  fi
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below the kernel's ephemeral range, so no outgoing connection can hold the port meanwhile.
ephemeral_start=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 10000 + RANDOM % (ephemeral_start - 10000) ))
    if ! port_in_use "$port" && [[ " ${taken[*]:-} " != *" $port "* ]]; then
      taken+=("$port")
      echo "$port"
      return
    fi
  done
  log "no free port found" >&2
  exit 1
}

# The browser tests drive Debian's Chromium through Playwright (its own browser download is not available).
install_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    return
  fi
  log "chromium is missing; installing Debian's package"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -q --no-install-recommends chromium; then
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends chromium
  fi
}

install_rabbitmq
if [ -z "${IHUB_WITHOUT_POSTGRES:-}" ]; then install_postgresql; fi
install_chromium
PATH="$PATH:/usr/sbin:/usr/lib/rabbitmq/bin"

taken=()
amqp_port=$(free_port)
dist_port=$(free_port)
epmd_port=$(free_port)
pg_port=$(free_port)
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
node="ihub-test-$$@localhost"
base=$(mktemp -d /tmp/ihub-rabbitmq.XXXXXX)
mkdir -p "$base/mnesia" "$base/log"
echo '[].' > "$base/enabled_plugins"
# Debian's wrapper runs the broker as the rabbitmq user, so its folders must be that user's.
if id rabbitmq >/dev/null 2>&1; then as_root chown -R rabbitmq:rabbitmq "$base"; fi
chmod 755 "$base"

export RABBITMQ_NODENAME="$node"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT="$amqp_port"
export RABBITMQ_DIST_PORT="$dist_port"
export ERL_EPMD_PORT="$epmd_port"
export ERL_EPMD_ADDRESS=127.0.0.1
export RABBITMQ_MNESIA_BASE="$base/mnesia"
export RABBITMQ_LOG_BASE="$base/log"
export RABBITMQ_PID_FILE="$base/rabbitmq.pid"
export RABBITMQ_FEATURE_FLAGS_FILE="$base/feature_flags"
export RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins"
export RABBITMQ_CONFIG_FILE="$base/rabbitmq.conf"
: > "$base/rabbitmq.conf"
if id rabbitmq >/dev/null 2>&1; then as_root chown rabbitmq:rabbitmq "$base/rabbitmq.conf" "$base/enabled_plugins"; fi

stop_broker() {
  local status=$?
  log "stopping broker $node"
  timeout 60 rabbitmqctl -n "$node" stop >/dev/null 2>&1 || true
  if [ -n "${broker_pid:-}" ]; then kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; fi
  epmd -port "$epmd_port" -kill >/dev/null 2>&1 || true
  # epmd refuses -kill while a node is still registered; stop ours by its port, leave others alone.
  for pid in $(pgrep -x epmd 2>/dev/null || true); do
    # The braces take the redirection's error too: an epmd that ended since pgrep has no environ.
    if { tr '\0' '\n' < "/proc/$pid/environ"; } 2>/dev/null | grep -qx "ERL_EPMD_PORT=$epmd_port"; then
      as_root kill "$pid" 2>/dev/null || true
    fi
  done
  if [ -d "$base/pg/data" ]; then as_postgres "$pg_bin/pg_ctl" -D "$base/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  [ -n "${IHUB_KEEP_BROKER_DIR:-}" ] || as_root rm -rf "$base" || true
  exit "$status"
}
trap stop_broker EXIT
trap 'exit 130' INT TERM

if [ -z "${IHUB_WITHOUT_BROKER:-}" ]; then
log "starting private broker $node on 127.0.0.1:$amqp_port (distribution $dist_port, epmd $epmd_port)"
# Debian's wrapper starts the broker through su, whose session leaves it 1,024 open files. RabbitMQ
# sizes its file-handle cache from that, and a full test run used the cache up: add_vhost then
# waited for a handle for good. So as root, start the broker's own script with the hard limit.
if [ "$(id -u)" -eq 0 ] && id rabbitmq >/dev/null 2>&1 && [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]; then
  (cd /var/lib/rabbitmq && exec su rabbitmq -s /bin/sh -c \
    'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec /usr/lib/rabbitmq/bin/rabbitmq-server') > "$base/server.out" 2>&1 &
else
  rabbitmq-server > "$base/server.out" 2>&1 &
fi
broker_pid=$!
# await_startup fails at once while the node is not yet registered, so try until it answers.
started=""
for _ in $(seq 1 60); do
  if timeout 120 rabbitmqctl -n "$node" await_startup >/dev/null 2>&1; then started=yes; break; fi
  if ! kill -0 "$broker_pid" 2>/dev/null; then break; fi
  sleep 1
done
if [ -z "$started" ]; then
  log "the broker did not start; its output:"
  cat "$base/server.out" "$base"/log/*.log 2>/dev/null | tail -50 || true
  exit 1
fi
log "broker ready"
fi

if [ -z "${IHUB_WITHOUT_POSTGRES:-}" ]; then
log "starting private PostgreSQL on 127.0.0.1:$pg_port"
mkdir -p "$base/pg"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$base/pg"; fi
as_postgres "$pg_bin/initdb" -D "$base/pg/data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
# fsync off: a test cluster that is thrown away afterwards need not survive power loss.
as_postgres "$pg_bin/pg_ctl" -D "$base/pg/data" -l "$base/pg/server.log" -w -t 60 \
  -o "-p $pg_port -h 127.0.0.1 -k $base/pg -c fsync=off -c max_connections=300" start >/dev/null
log "PostgreSQL ready"
export IHUB_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"
fi

export IHUB_TEST_RABBITMQ_HOST=127.0.0.1
export IHUB_TEST_RABBITMQ_PORT="$amqp_port"

