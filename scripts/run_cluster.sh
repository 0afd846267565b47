#!/usr/bin/env bash
# Run Care Clock in scaled mode on one machine (make run-cluster): Redis (lock
# store) and PostgreSQL (tracker store) on loopback, CARE_CLOCK_WORKERS Rasa
# servers (default 2), CARE_CLOCK_ACTION_WORKERS action servers (default 1),
# nginx in front of both (RASA_PORT, ACTION_PORT) and the web page pointed at
# it; all supervised by supervisord (bot/supervisord-cluster.conf). Stops like
# `make run`. CARE_CLOCK_REDIS_URL / CARE_CLOCK_DATABASE_URL, when set, name
# servers of your own instead of the loopback ones.
source "$(dirname "$0")/common.sh"
exec_with_parent_death "$@"
bash scripts/ensure_cluster_packages.sh
bash scripts/train.sh

export CARE_CLOCK_WORKERS="${CARE_CLOCK_WORKERS:-2}"
export CARE_CLOCK_ACTION_WORKERS="${CARE_CLOCK_ACTION_WORKERS:-1}"
# Each Rasa (action) server listens on the next port after the proxy's.
export RASA_SERVER_PORT="${RASA_SERVER_PORT:-$((RASA_PORT + 1))}"
export ACTION_SERVER_PORT="${ACTION_SERVER_PORT:-$((ACTION_PORT + 1))}"
export CARE_CLOCK_REDIS_PORT="${CARE_CLOCK_REDIS_PORT:-6379}"
export CARE_CLOCK_POSTGRES_PORT="${CARE_CLOCK_POSTGRES_PORT:-5432}"
# A ticket of a server killed mid-turn holds its patient's lock this long (Rasa's
# default is 60 s); far longer than any turn, which the action deadline bounds.
export TICKET_LOCK_LIFETIME="${TICKET_LOCK_LIFETIME:-10}"

own_redis=false own_postgres=false
if [ -z "${CARE_CLOCK_REDIS_URL:-}" ]; then
  own_redis=true
  export CARE_CLOCK_REDIS_URL="redis://127.0.0.1:$CARE_CLOCK_REDIS_PORT/1"
fi
if [ -z "${CARE_CLOCK_DATABASE_URL:-}" ]; then
  own_postgres=true
  export CARE_CLOCK_DATABASE_URL="postgresql://careclock@127.0.0.1:$CARE_CLOCK_POSTGRES_PORT/postgres"
fi
export CLUSTER_OWN_REDIS=$own_redis CLUSTER_OWN_POSTGRES=$own_postgres
export CLUSTER_NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
CLUSTER_POSTGRES_BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/postgres | sort -V | tail -n 1)")"
export CLUSTER_POSTGRES_BIN CLUSTER_POSTGRES_USER=""

umask 077  # conversations and logs are health information
mkdir -p "$CARE_CLOCK_VAR/log" "$CARE_CLOCK_VAR/nginx"
chmod 700 "$CARE_CLOCK_VAR"

ports=("$RASA_PORT" "$ACTION_PORT" "$WEB_PORT")
for ((i = 0; i < CARE_CLOCK_WORKERS; i++)); do ports+=($((RASA_SERVER_PORT + i))); done
for ((i = 0; i < CARE_CLOCK_ACTION_WORKERS; i++)); do ports+=($((ACTION_SERVER_PORT + i))); done
[ "$own_redis" = false ] || ports+=("$CARE_CLOCK_REDIS_PORT")
[ "$own_postgres" = false ] || ports+=("$CARE_CLOCK_POSTGRES_PORT")
require_free_ports "${ports[@]}"

# PostgreSQL refuses to run as root: as root it runs as the postgres user, which
# may pass through the var folder (mode 711: no listing) to its own data folder.
export CARE_CLOCK_POSTGRES_DATA="${CARE_CLOCK_POSTGRES_DATA:-$CARE_CLOCK_VAR/postgres}"
pg_data="$CARE_CLOCK_POSTGRES_DATA"
if [ "$own_postgres" = true ]; then
  as_postgres=()
  if [ "$(id -u)" = 0 ]; then
    CLUSTER_POSTGRES_USER="--reuid=postgres --regid=postgres --init-groups"
    as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
    chmod 711 "$CARE_CLOCK_VAR"
  fi
  if [ ! -s "$pg_data/PG_VERSION" ]; then
    say "Creating the tracker store's PostgreSQL database in $pg_data"
    mkdir -p "$pg_data"
    [ "$(id -u)" != 0 ] || chown postgres: "$pg_data"
    "${as_postgres[@]}" test -w "$pg_data" || {
      echo "error: the postgres user cannot reach $pg_data; set CARE_CLOCK_POSTGRES_DATA to a folder it can" >&2
      exit 1
    }
    "${as_postgres[@]}" "$CLUSTER_POSTGRES_BIN/initdb" -D "$pg_data" -U careclock --auth=trust -E UTF8 >/dev/null
  fi
fi

bash scripts/credentials.sh "$CARE_CLOCK_VAR/credentials.yml"
set_page_addresses

# The proxy. socket.io keeps a patient's session on one server (ip_hash: the
# page's polling requests and its websocket must reach the server that issued
# the session id); REST and Slack go to the least busy server, and a message
# whose server refuses the connection goes to another (POSTs are never resent
# once a server has taken them).
upstream() {  # first-port count
  local i
  for ((i = 0; i < $2; i++)); do echo "    server 127.0.0.1:$(($1 + i)) max_fails=1 fail_timeout=5s;"; done
}
cat > "$CARE_CLOCK_VAR/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $CARE_CLOCK_VAR/nginx/nginx.pid;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_buffer_size 64k;
  client_body_temp_path $CARE_CLOCK_VAR/nginx/body;
  proxy_temp_path $CARE_CLOCK_VAR/nginx/proxy;
  upstream rasa {
    least_conn;
$(upstream "$RASA_SERVER_PORT" "$CARE_CLOCK_WORKERS")
    keepalive 64;
  }
  upstream rasa_sticky {
    ip_hash;
$(upstream "$RASA_SERVER_PORT" "$CARE_CLOCK_WORKERS")
  }
  upstream actions {
    least_conn;
$(upstream "$ACTION_SERVER_PORT" "$CARE_CLOCK_ACTION_WORKERS")
    keepalive 64;
  }
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  proxy_http_version 1.1;
  proxy_set_header Host \$host;
  server {
    listen $CARE_CLOCK_HOST:$RASA_PORT;
    location /socket.io/ {
      proxy_pass http://rasa_sticky;
      proxy_set_header Host \$host;
      proxy_set_header Upgrade \$http_upgrade;
      proxy_set_header Connection \$connection_upgrade;
      proxy_read_timeout 1h;
    }
    location / {
      proxy_pass http://rasa;
      # a location that sets a header inherits none: Host is set again (REST checks it)
      proxy_set_header Host \$host;
      proxy_set_header Connection "";
    }
  }
  server {
    listen 127.0.0.1:$ACTION_PORT;
    location / {
      proxy_pass http://actions;
      proxy_set_header Host \$host;
      proxy_set_header Connection "";
    }
  }
}
NGINX

start_supervisor bot/supervisord-cluster.conf
if [ "$own_postgres" = true ]; then
  waited=0
  until "$CLUSTER_POSTGRES_BIN/pg_isready" -q -U careclock -h 127.0.0.1 -p "$CARE_CLOCK_POSTGRES_PORT"; do
    if supervisor_failed || [ "$waited" -ge 60 ]; then echo "error: PostgreSQL did not start; see $CARE_CLOCK_VAR/log/postgres.log" >&2; exit 1; fi
    sleep 1 & wait $!
    waited=$((waited + 1))
  done
fi
# The tracker store's tables, made once before the Rasa servers start together.
python -c 'import bot.tracker_store as t; t.CareClockTrackerStore()' >> "$CARE_CLOCK_VAR/log/supervisord.log" 2>&1 \
  || { echo "error: cannot reach the tracker store at CARE_CLOCK_DATABASE_URL; see $CARE_CLOCK_VAR/log/supervisord.log" >&2; exit 1; }
supervisorctl -c bot/supervisord-cluster.conf start 'rasa:*' >/dev/null

servers=("$RASA_PORT/" "$ACTION_PORT/health" "$WEB_PORT/")
for ((i = 0; i < CARE_CLOCK_WORKERS; i++)); do servers+=("$((RASA_SERVER_PORT + i))/"); done
wait_for_servers "${servers[@]}"

say "Care Clock is running in scaled mode: $CARE_CLOCK_WORKERS Rasa servers, $CARE_CLOCK_ACTION_WORKERS action server(s)"
cat <<INFO
  Web chat: http://localhost:$WEB_PORT/
  REST:     curl -s -X POST http://localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' -d '{"sender":"me","message":"hello"}'
  Servers:  Rasa on 127.0.0.1:$RASA_SERVER_PORT.. behind the proxy on $RASA_PORT; lock store $CARE_CLOCK_REDIS_URL
  Logs:     $CARE_CLOCK_VAR/log/ (rasa_<port>.log, actions_<port>.log, proxy.log, redis.log, postgres.log, ...)
  Stop:     Ctrl-C
INFO

watch_supervisor
