import {FACTS_SCRIPT} from '../provision/facts.js'
import {shellQuote} from '../ssh/quote.js'

/** Extra facts only doctor needs, read in the same remote command as setup-client's facts. */
export interface DoctorProbe {
  /** Every aws-msk-iam-auth jar under the home directory (a CLASSPATH may point outside libs/). */
  iamJarPaths: string[]
  restProxy: {
    /** REST proxy JVMs of the SSH user outside this probe's own session: pid and session id. */
    processes: Array<{pid: number; sid: number}>
    /** systemd's MainPID of kafka-rest (0 when stopped), or the fallback's pid file. */
    mainPid?: number
    pidFile?: number
    http: {rc?: number; code?: number; body?: string; error?: string}
    /** Error-looking lines of the proxy's log since its last start. */
    log?: string
    logSource: 'journal' | 'file' | 'none'
  }
}

/** POSIX sh appended to FACTS_SCRIPT: read-only, like the facts themselves. */
export function doctorProbeScript(restProxyPort: number): string {
  const port = shellQuote(String(Math.trunc(restProxyPort)))
  return String.raw`
dkv() { printf 'doctor.%s=%s\n' "$1" "$2"; }
dh=$HOME
dkv iamjarpaths "$(find "$dh" -maxdepth 4 -name 'aws-msk-iam-auth-*.jar' 2>/dev/null | base64 | tr -d '\n')"
dsid=$(ps -o sid= -p $$ 2>/dev/null | tr -d ' ')
# The patterns are split so this probe's own command line never matches them.
dkv restproxy.procs "$(ps -ww -u "$(id -u)" -o pid=,sid=,args= 2>/dev/null | awk -v s="$dsid" -v j=jav -v k=kafk -v r=KafkaRe -v t=RestProxyStan '$2 != s && $0 ~ (j "a") && ($0 ~ (k "a-rest") || $0 ~ (r "stMain") || $0 ~ (t "dIn")) {print $1 ":" $2}' | tr '\n' ' ')"
dsystemd=
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then dsystemd=yes; dkv restproxy.mainpid "$(systemctl show -p MainPID --value kafka-rest 2>/dev/null)"; fi
if [ -f "$dh/.pinctl/kafka-rest.pid" ]; then dkv restproxy.pidfile "$(cat "$dh/.pinctl/kafka-rest.pid" 2>/dev/null)"; fi
dtmp=$(mktemp 2>/dev/null || echo "/tmp/.pinctl-doctor.$$")
if command -v curl >/dev/null 2>&1; then
  dcode=$(curl -sS --max-time 5 -o "$dtmp" -w '%{http_code}' http://127.0.0.1:${port}/topics 2>"$dtmp.err"); drc=$?
elif command -v wget >/dev/null 2>&1; then
  wget -q -T 5 -S -O "$dtmp" http://127.0.0.1:${port}/topics 2>"$dtmp.err"; drc=$?
  dcode=$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$dtmp.err" | tail -n 1)
else drc=127; dcode=; fi
dkv restproxy.http.rc "$drc"
dkv restproxy.http.code "$dcode"
dkv restproxy.http.body "$(head -c 2000 "$dtmp" 2>/dev/null | base64 | tr -d '\n')"
dkv restproxy.http.error "$(grep -v '^ ' "$dtmp.err" 2>/dev/null | head -c 300 | base64 | tr -d '\n')"
rm -f "$dtmp" "$dtmp.err"
dlog=
if [ -n "$dsystemd" ] && systemctl cat kafka-rest >/dev/null 2>&1; then
  dkv restproxy.logsource journal
  dinv=$(systemctl show -p InvocationID --value kafka-rest 2>/dev/null)
  if [ -n "$dinv" ]; then dlog=$(sudo -n journalctl -q --no-pager -n 400 _SYSTEMD_INVOCATION_ID="$dinv" 2>/dev/null || journalctl -q --no-pager -n 400 _SYSTEMD_INVOCATION_ID="$dinv" 2>/dev/null)
  else dlog=$(sudo -n journalctl -q --no-pager -n 400 -u kafka-rest 2>/dev/null || journalctl -q --no-pager -n 400 -u kafka-rest 2>/dev/null); fi
elif [ -f "$dh/.pinctl/kafka-rest.log" ]; then
  dkv restproxy.logsource file
  dlog=$(tail -n 400 "$dh/.pinctl/kafka-rest.log" 2>/dev/null)
else dkv restproxy.logsource none; fi
dkv restproxy.log "$(printf '%s\n' "$dlog" | grep -E 'Exception|Error|ERROR|FATAL|denied' | tail -n 40 | base64 | tr -d '\n')"
`
}

/** The one remote command of the host layer: setup-client's facts plus doctor's extra lines. */
export function hostProbeScript(restProxyPort: number): string {
  return `${FACTS_SCRIPT}\n${doctorProbeScript(restProxyPort)}`
}

export function parseDoctorProbe(output: string): DoctorProbe {
  const raw = new Map<string, string>()
  for (const line of output.split('\n')) {
    if (!line.startsWith('doctor.')) continue
    const index = line.indexOf('=')
    if (index > 0) raw.set(line.slice('doctor.'.length, index), line.slice(index + 1))
  }
  const text = (key: string) => {
    const value = raw.get(key)
    return value ? Buffer.from(value, 'base64').toString('utf8') : undefined
  }
  const int = (key: string) => {
    const value = raw.get(key)?.trim()
    return value && /^\d+$/.test(value) ? Number(value) : undefined
  }
  const source = raw.get('restproxy.logsource')
  return {
    iamJarPaths: (text('iamjarpaths') ?? '').split('\n').filter(Boolean),
    restProxy: {
      processes: (raw.get('restproxy.procs') ?? '')
        .split(/\s+/)
        .filter((entry) => /^\d+:\d+$/.test(entry))
        .map((entry) => ({pid: Number(entry.split(':')[0]), sid: Number(entry.split(':')[1])})),
      mainPid: int('restproxy.mainpid'),
      pidFile: int('restproxy.pidfile'),
      http: {rc: int('restproxy.http.rc'), code: int('restproxy.http.code'), body: text('restproxy.http.body'), error: text('restproxy.http.error')?.trim() || undefined},
      log: text('restproxy.log')?.trim() || undefined,
      logSource: source === 'journal' || source === 'file' ? source : 'none',
    },
  }
}
