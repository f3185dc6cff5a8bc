import {FACTS_SCRIPT} from '../host/facts.js'
import {HOST_SHELL_PATHS} from '../host/layout.js'
import {parseProbe, PROBE_BODY_LIMIT} from '../host/probe.js'
import {shellQuote} from '../ssh/quote.js'

/** Extra facts only doctor needs, read in the same remote command as setup-client's facts. */
export interface DoctorProbe {
  /** Every aws-msk-iam-auth jar under the home directory (a CLASSPATH may point outside libs/). */
  iamJarPaths: string[]
  restProxy: {
    /** REST proxy JVMs of the SSH user outside this probe's own session: pid and session id. */
    processes: Array<{pid: number; sid: number}>
    http: {rc?: number; code?: number; body?: string; error?: string}
    /** Error-looking lines of the proxy's log since its last start. */
    log?: string
    logSource: 'journal' | 'file' | 'none'
  }
}

/** Probe lines appended to FACTS_SCRIPT (same protocol, keys prefixed `doctor.`): read-only, like the facts. */
export function doctorProbeScript(restProxyPort: number): string {
  const port = shellQuote(String(Math.trunc(restProxyPort)))
  const {serviceLog} = HOST_SHELL_PATHS
  return String.raw`
dkv() { kv "doctor.$1" "$2"; }
dkv iamjarpaths "$(find "$HOME" -maxdepth 4 -name 'aws-msk-iam-auth-*.jar' 2>/dev/null | b64s)"
dsid=$(ps -o sid= -p $$ 2>/dev/null | tr -d ' ')
# The patterns are split so this probe's own command line never matches them.
dkv restproxy.procs "$(ps -ww -u "$(id -u)" -o pid=,sid=,args= 2>/dev/null |
  awk -v s="$dsid" -v j=jav -v k=kafk -v r=KafkaRe -v t=RestProxyStan \
    '$2 != s && $0 ~ (j "a") && ($0 ~ (k "a-rest") || $0 ~ (r "stMain") || $0 ~ (t "dIn")) {print $1 ":" $2}' |
  tr '\n' ' ')"
dtmp=$(mktemp 2>/dev/null || echo "/tmp/.pinctl-doctor.$$")
if command -v curl >/dev/null 2>&1; then
  dcode=$(curl -sS --max-time 5 -o "$dtmp" -w '%{http_code}' http://127.0.0.1:${port}/topics 2>"$dtmp.err"); drc=$?
elif command -v wget >/dev/null 2>&1; then
  wget -q -T 5 -S -O "$dtmp" http://127.0.0.1:${port}/topics 2>"$dtmp.err"; drc=$?
  dcode=$(sed -n 's/^ *HTTP\/[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$dtmp.err" | tail -n 1)
else drc=127; dcode=; fi
dkv restproxy.http.rc "$drc"
dkv restproxy.http.code "$dcode"
dkv restproxy.http.body "$(head -c ${PROBE_BODY_LIMIT} "$dtmp" 2>/dev/null | b64s)"
dkv restproxy.http.error "$(grep -v '^ ' "$dtmp.err" 2>/dev/null | head -c 300 | b64s)"
rm -f "$dtmp" "$dtmp.err"
dlog=
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && systemctl cat kafka-rest >/dev/null 2>&1; then
  dkv restproxy.logsource journal
  dinv=$(systemctl show -p InvocationID --value kafka-rest 2>/dev/null)
  djournal() { sudo -n journalctl -q --no-pager -n 400 "$@" 2>/dev/null || journalctl -q --no-pager -n 400 "$@" 2>/dev/null; }
  if [ -n "$dinv" ]; then dlog=$(djournal _SYSTEMD_INVOCATION_ID="$dinv"); else dlog=$(djournal -u kafka-rest); fi
elif [ -f ${serviceLog} ]; then
  dkv restproxy.logsource file
  dlog=$(tail -n 400 ${serviceLog} 2>/dev/null)
else dkv restproxy.logsource none; fi
dkv restproxy.log "$(printf '%s\n' "$dlog" | grep -E 'Exception|Error|ERROR|FATAL|denied' | tail -n 40 | b64s)"
`
}

/** The one remote command of the host layer: setup-client's facts plus doctor's extra lines. */
export function hostProbeScript(restProxyPort: number): string {
  return `${FACTS_SCRIPT}\n${doctorProbeScript(restProxyPort)}`
}

export function parseDoctorProbe(output: string): DoctorProbe {
  const answer = parseProbe(output, 'doctor.')
  const source = answer.get('restproxy.logsource')
  return {
    iamJarPaths: (answer.text('iamjarpaths') ?? '').split('\n').filter(Boolean),
    restProxy: {
      processes: (answer.get('restproxy.procs') ?? '')
        .split(/\s+/)
        .filter((entry) => /^\d+:\d+$/.test(entry))
        .map((entry) => ({pid: Number(entry.split(':')[0]), sid: Number(entry.split(':')[1])})),
      http: {
        rc: answer.int('restproxy.http.rc'),
        code: answer.int('restproxy.http.code'),
        body: answer.text('restproxy.http.body'),
        error: answer.text('restproxy.http.error')?.trim() || undefined,
      },
      log: answer.text('restproxy.log')?.trim() || undefined,
      logSource: source === 'journal' || source === 'file' ? source : 'none',
    },
  }
}
