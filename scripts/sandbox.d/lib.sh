# shellcheck shell=bash
# Shared helpers for scripts/sandbox and its parts (scripts/sandbox.d/parts/NN-*.sh). Source it; never run it.
# A part is run as `bash parts/NN-name.sh up|down|status`, sources this file, and ends with `part_main "$@"`
# after defining part_up, part_down and part_status (status: exit 0 when running, 1 when not, 4 when the part
# has nothing to run: counts as up).
#
# Stable interface (other parts rely on it; add, don't change):
#   REPO                 absolute path of the repository
#   PINCTL_CACHE_DIR     default $HOME/.cache/pinctl: survives `down` (venv, Maven libs, built artifacts)
#   PINCTL_SANDBOX_DIR   default $REPO/.sandbox: the state of one `up`, removed by `down`
#   RUN_DIR LOG_DIR ENV_DIR   $PINCTL_SANDBOX_DIR/run, /logs, /env.d
#   PORTS_FILE           $PINCTL_SANDBOX_DIR/ports.env; lib.sh sources it, so its NAME_PORT variables are set
#   PART                 the part's name (file name without NN- and .sh), used as log prefix and env.d name
#
#   log MSG…                    "sandbox[PART]: MSG" on stderr
#   die MSG…                    log, then exit 1
#   ensure_ports NAME…          set and export each NAME (e.g. KAFKA_PORT): its value in ports.env, else the value
#                               already in the environment, else a free loopback port; new values are added to
#                               ports.env, so a port is chosen once per sandbox. The entry pre-picks MOTO_PORT
#                               SSH_PORT ZK_PORT KAFKA_PORT MIRROR_PORT; a part calls it for the ports it uses.
#   start_daemon NAME LOGFILE CMD…  run CMD detached in its own session (setsid, stdin /dev/null, stdout+stderr
#                               appended to LOGFILE); its pid goes to run/NAME.pid. CMD must not fork into the
#                               background itself (use the foreground flag: sshd -D, etc.)
#   is_running NAME             exit 0 when run/NAME.pid names a live process
#   stop_daemon NAME [SECS]     TERM the process of run/NAME.pid, its process group and its descendants, wait up
#                               to SECS (10), then KILL; removes the pid file; a no-op when not running. Only what
#                               descends from a pid file's process is ever signalled.
#   ensure_daemon NAME WHAT PORT SECS CMD…   the part's long-running process, started once: when run/NAME.pid
#                               is live, logs "WHAT already running (pid, 127.0.0.1:PORT)"; when PORT is taken by
#                               another process, dies; else start_daemon NAME $LOG_DIR/NAME.log CMD… and waits up to
#                               SECS for PORT (on failure: the log's last lines, then die), logs "started WHAT …"
#   write_if_changed FILE       FILE gets stdin as content, rewritten (via FILE.tmp and mv) only when it differs
#   port_open PORT              exit 0 when 127.0.0.1:PORT accepts a TCP connection now
#   wait_for_port PORT [SECS [NAME]]  wait until 127.0.0.1:PORT accepts TCP connections (default 30 s); 1 on
#                               timeout, or at once when daemon NAME (if given) is no longer running
#   write_env PART K V [K V …]  write env.d/PART.env as `export K='V'` lines (values shell-quoted), replacing it
#   kill_user_processes USER    TERM every live process of the Unix user USER, wait up to 5 s, then KILL (a host
#                               user's processes: what pinctl started over SSH, e.g. the REST proxy)
#   part_main "$@"              dispatch up|down|status to part_up / part_down / part_status

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Absolute, so paths written into configs (sshd_config, env.d) hold from any working directory.
PINCTL_CACHE_DIR=$(realpath -m "${PINCTL_CACHE_DIR:-$HOME/.cache/pinctl}")
PINCTL_SANDBOX_DIR=$(realpath -m "${PINCTL_SANDBOX_DIR:-$REPO/.sandbox}")
export PINCTL_CACHE_DIR PINCTL_SANDBOX_DIR
RUN_DIR=$PINCTL_SANDBOX_DIR/run
LOG_DIR=$PINCTL_SANDBOX_DIR/logs
ENV_DIR=$PINCTL_SANDBOX_DIR/env.d
PORTS_FILE=$PINCTL_SANDBOX_DIR/ports.env
PART=$(basename "$0" .sh)
PART=${PART#[0-9][0-9]-}

# shellcheck disable=SC1090
[ -f "$PORTS_FILE" ] && { set -a; . "$PORTS_FILE"; set +a; }

log() { echo "sandbox[$PART]: $*" >&2; }
die() { log "$@"; exit 1; }

ensure_ports() {
  local name value missing=()
  mkdir -p "$PINCTL_SANDBOX_DIR"
  for name in "$@"; do
    [[ $name =~ ^[A-Z][A-Z0-9_]*$ ]] || die "ensure_ports: bad variable name '$name'"
    # ports.env wins (re-read: another `up` may have written it since lib.sh was sourced); then a value
    # from the environment, recorded so later runs keep it; else a new port below.
    value=$(sed -n "s/^$name=//p" "$PORTS_FILE" 2>/dev/null | tail -n 1) || value=
    if [ -n "$value" ]; then
      export "$name=$value"
    elif [ -n "${!name:-}" ]; then
      echo "$name=${!name}" >>"$PORTS_FILE"; export "${name?}"
    else
      missing+=("$name")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  # Below the kernel's ephemeral range, so an outgoing connection cannot take the port between two `up`s;
  # the sockets stay bound until all are chosen, so the ports are distinct.
  local line
  while read -r line; do
    echo "$line" >>"$PORTS_FILE"
    export "${line?}"
  done < <(python3 - "${missing[@]}" <<'PY'
import random, socket, sys
taken, held = set(), []
for name in sys.argv[1:]:
    for _ in range(500):
        port = random.randint(20000, 32000)
        if port in taken:
            continue
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            s.close()
            continue
        held.append(s); taken.add(port)
        print(f"{name}={port}")
        break
    else:
        sys.exit(f"no free loopback port found for {name}")
PY
  )
  for name in "${missing[@]}"; do [ -n "${!name:-}" ] || die "cannot pick a free port for $name"; done
}

is_running() {
  local pid
  pid=$(cat "$RUN_DIR/$1.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

start_daemon() {
  local name=$1 logfile=$2; shift 2
  local pidfile=$RUN_DIR/$name.pid
  mkdir -p "$RUN_DIR" "$(dirname "$logfile")"
  rm -f "$pidfile"
  # The child closes inherited descriptors (a caller's pipes must not stay open) and records its own pid
  # just before exec, so the pid file names CMD itself, a session leader.
  # shellcheck disable=SC2016
  setsid bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; ((fd > 2)) && eval "exec $fd>&-"; done 2>/dev/null
    echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
  local i
  for i in $(seq 50); do [ -s "$pidfile" ] && return 0; sleep 0.05; done
  die "$name did not start (see $logfile)"
}

stop_daemon() {
  local name=$1 secs=${2:-10} pidfile=$RUN_DIR/$1.pid pid i
  pid=$(cat "$pidfile" 2>/dev/null) || return 0
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    # Its process group (start_daemon used setsid) and every descendant, listed before any dies: children
    # that made their own session (sshd's per-connection processes) are reached too.
    local pids
    mapfile -t pids < <(echo "$pid"; _descendants "$pid")
    kill -TERM -- "-$pid" 2>/dev/null || true
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for ((i = 0; i < secs * 10; i++)); do
      _any_alive "$pid" "${pids[@]}" || break
      sleep 0.1
    done
    if _any_alive "$pid" "${pids[@]}"; then
      log "$name did not stop after ${secs}s: KILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
      kill -KILL "${pids[@]}" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$pidfile"
}

_descendants() {
  ps -e -o pid= -o ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = parent[p]; while (q > 1) { if (q == root) { print p; break } q = parent[q] } } }'
}

# _any_alive GROUP PID…: a live (non-zombie) process is in process group GROUP or is one of the PIDs.
_any_alive() {
  local group=$1; shift
  ps -e -o pid= -o pgid= -o stat= | awk -v g="$group" -v list=" $* " '
    $3 !~ /^Z/ && ($2 == g || index(list, " " $1 " ")) { found = 1 } END { exit !found }'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  local port=$1 secs=${2:-30} name=${3:-} i
  for ((i = 0; i < secs * 10; i++)); do
    port_open "$port" && return 0
    [ -n "$name" ] && ! is_running "$name" && return 1
    sleep 0.1
  done
  return 1
}

ensure_daemon() {
  local name=$1 what=$2 port=$3 secs=$4; shift 4
  local logfile=$LOG_DIR/$name.log
  if is_running "$name"; then
    log "$what already running (pid $(cat "$RUN_DIR/$name.pid"), 127.0.0.1:$port)"
    return 0
  fi
  port_open "$port" && die "port $port is taken by another process (not our $what); run 'scripts/sandbox down'"
  start_daemon "$name" "$logfile" "$@"
  if ! wait_for_port "$port" "$secs" "$name"; then
    log "--- last lines of $logfile ---"
    tail -n 30 "$logfile" >&2 2>/dev/null || true
    die "$what did not start: nothing accepts 127.0.0.1:$port after ${secs}s, or it exited (see $logfile)"
  fi
  log "started $what (pid $(cat "$RUN_DIR/$name.pid"), 127.0.0.1:$port)"
}

write_if_changed() {
  local tmp=$1.tmp
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

write_env() {
  local part=$1; shift
  (($# % 2 == 0)) || die "write_env: odd number of arguments"
  mkdir -p "$ENV_DIR"
  local tmp=$ENV_DIR/.$part.env.tmp
  : >"$tmp"
  while (($#)); do
    [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "write_env: bad variable name '$1'"
    printf "export %s='%s'\n" "$1" "${2//\'/\'\\\'\'}" >>"$tmp"
    shift 2
  done
  if cmp -s "$tmp" "$ENV_DIR/$part.env"; then rm -f "$tmp"; else mv "$tmp" "$ENV_DIR/$part.env"; fi
}

# Live (non-zombie) processes of a user.
_user_pids() { ps -u "$1" -o pid= -o stat= 2>/dev/null | awk '$2 !~ /^Z/ { print $1 }'; }

kill_user_processes() {
  local user=$1 i
  id -u "$user" >/dev/null 2>&1 || return 0
  [ -n "$(_user_pids "$user")" ] || return 0
  log "stopping the processes of $user"
  pkill -TERM -u "$user" || true
  for ((i = 0; i < 50; i++)); do [ -n "$(_user_pids "$user")" ] || return 0; sleep 0.1; done
  pkill -KILL -u "$user" || true
  for ((i = 0; i < 20; i++)); do [ -n "$(_user_pids "$user")" ] || return 0; sleep 0.1; done
  log "warning: processes of $user survived KILL: $(_user_pids "$user" | tr '\n' ' ')"
}

part_main() {
  case "${1:-}" in
    up) mkdir -p "$RUN_DIR" "$LOG_DIR" "$ENV_DIR"; part_up ;;
    down) part_down ;;
    status) part_status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
  esac
}
