#!/usr/bin/env bash
# Part 60: the source database the posting emulator reads (`pinctl emulate --source db`). Its own MariaDB server
# (mariadbd from scripts/setup.d/50-mariadb.sh, never the system service) on 127.0.0.1:$MARIADB_PORT, data in
# $PINCTL_SANDBOX_DIR/mariadb/data, socket and pid file in $RUN_DIR. Initialised once per sandbox: database
# pinterest_data_db, user pinctl with a random password (also allowed to make scratch databases pinctl_*),
# the tables pinterest_data, geolocation_data and user_data filled by source_db.py. Writes
# $PINCTL_SANDBOX_DIR/mariadb/db_creds.yaml (HOST, USER, PASSWORD, DATABASE, PORT: the file users of the pipeline
# keep) and exports PINCTL_DB_CREDS naming it.
set -euo pipefail
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

STATE=$PINCTL_SANDBOX_DIR/mariadb
DATA=$STATE/data
SOCKET=$RUN_DIR/mariadb.sock
CREDS=$STATE/db_creds.yaml
PASSWORD_FILE=$STATE/password
SEEDED=$STATE/seeded
DATABASE=pinterest_data_db
DB_USER=pinctl
ROWS=${PINCTL_SANDBOX_DB_ROWS:-1200}

# Admin client: root over the socket (unix_socket authentication, as root), no option files read.
admin() { mariadb --no-defaults --socket="$SOCKET" -uroot "$@"; }

part_up() {
  command -v mariadbd >/dev/null && command -v mariadb-install-db >/dev/null || die "no MariaDB server: run scripts/setup.sh"
  ensure_ports MARIADB_PORT
  mkdir -p "$STATE"
  if [ ! -d "$DATA/mysql" ]; then
    log "initialising $DATA"
    rm -rf "$DATA"
    mariadb-install-db --no-defaults --datadir="$DATA" --user="$(id -un)" --skip-test-db \
      --auth-root-authentication-method=socket >"$LOG_DIR/mariadb-install.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/mariadb-install.log" >&2; die "mariadb-install-db failed"; }
  fi
  # Small buffers: the tables hold a few thousand rows, and the machine runs Kafka and Connect beside it.
  ensure_daemon mariadb MariaDB "$MARIADB_PORT" 60 mariadbd --no-defaults --user="$(id -un)" --datadir="$DATA" \
    --socket="$SOCKET" --pid-file="$RUN_DIR/mariadbd.pid" --bind-address=127.0.0.1 --port="$MARIADB_PORT" \
    --skip-name-resolve --performance-schema=OFF --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
  [ -s "$PASSWORD_FILE" ] || (umask 077; python3 -c 'import secrets; print(secrets.token_urlsafe(18))' >"$PASSWORD_FILE")
  local password
  password=$(cat "$PASSWORD_FILE")
  # Also scratch databases pinctl_*: the tests make one with a table missing, without touching the real one.
  admin <<SQL || die "creating $DATABASE and user $DB_USER failed"
CREATE DATABASE IF NOT EXISTS $DATABASE CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON $DATABASE.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
GRANT ALL PRIVILEGES ON \`pinctl\_%\`.* TO '$DB_USER'@'127.0.0.1', '$DB_USER'@'localhost';
SQL
  if [ ! -f "$SEEDED" ]; then
    python3 "$REPO/scripts/sandbox.d/source_db.py" "$ROWS" | admin --default-character-set=utf8mb4 "$DATABASE" \
      || die "filling $DATABASE failed"
    touch "$SEEDED"
    log "filled $DATABASE: pinterest_data, geolocation_data, user_data ($ROWS rows each)"
  fi
  (umask 077; write_if_changed "$CREDS" <<YAML
HOST: 127.0.0.1
USER: $DB_USER
PASSWORD: '$password'
DATABASE: $DATABASE
PORT: $MARIADB_PORT
YAML
  )
  write_env mariadb PINCTL_DB_CREDS "$CREDS"
}

part_down() { stop_daemon mariadb 30; }

part_status() { is_running mariadb; }

part_main "$@"
