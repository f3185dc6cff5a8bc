import {CONFLUENT_DIR, iamJarFor, KAFKA_DIR, PINNED} from '../artifacts.js'
import {FACTS_SCRIPT, type HostFacts} from '../provision/facts.js'
import {shellQuote} from '../ssh/quote.js'
import type {Check} from './checks.js'
import {diagnoseKafkaOutput} from './trip-ups.js'

/** What the host and REST proxy checks compare the host against. */
export interface HostContext {
  auth: 'iam' | 'plaintext'
  /** The role's ARN when the aws layer found it: client.properties must name the same one. */
  roleArn?: string
  /** The brokers the aws layer settled on: kafka-rest.properties should point at the same ones. */
  bootstrapServers?: string
  restProxyPort: number
}

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

/** Java .properties as a map (key=value, key: value or key value; # and ! comments). */
export function parseProperties(text: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#') || line.startsWith('!')) continue
    const match = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line)
    if (match) map.set(match[1], match[2].trim())
    else map.set(line, '')
  }
  return map
}

/** `aws-msk-iam-auth-2.3.6-all.jar` → {version: [2,3,6], all: true}. */
export function iamJarVersion(name: string): {version: [number, number, number]; text: string; all: boolean} | undefined {
  const match = /aws-msk-iam-auth-(\d+)\.(\d+)\.(\d+)(-all)?\.jar$/.exec(name)
  if (!match) return undefined
  return {version: [Number(match[1]), Number(match[2]), Number(match[3])], text: `${match[1]}.${match[2]}.${match[3]}`, all: Boolean(match[4])}
}

/** 2.3.5 and later are compiled for Java 17 (class file 61). */
export function jarNeedsJava17(version: [number, number, number]): boolean {
  const [major, minor, patch] = version
  return major > 2 || (major === 2 && (minor > 3 || (minor === 3 && patch >= 5)))
}

/** CLASSPATH entries of shell lines or env/unit lines, with $HOME and ~ expanded; other variables dropped. */
export function classpathEntries(values: string[], home: string): string[] {
  return values
    .flatMap((value) => value.replace(/^["']|["']$/g, '').split(':'))
    .map((entry) => entry.trim().replace(/^(\$HOME|\$\{HOME\}|~)(?=\/|$)/, home))
    .filter((entry) => entry !== '' && !entry.includes('$'))
}

/** The CLASSPATH value(s) a file sets: `export CLASSPATH=…` lines, `CLASSPATH=…` env lines, `Environment=CLASSPATH=…` unit lines. */
export function classpathValues(text: string | undefined): string[] {
  if (!text) return []
  const values: string[] = []
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (trimmed.startsWith('#')) continue
    for (const match of trimmed.matchAll(/(?:^|[\s"=])CLASSPATH=("([^"]*)"|'([^']*)'|([^\s"]+))/g)) {
      values.push(match[2] ?? match[3] ?? match[4] ?? '')
    }
  }
  return values
}

/** Whether any entry makes an IAM jar loadable: the jar's own path, or a `dir/*` wildcard holding one. */
function findIamJar(entries: string[], jarPaths: string[]): string | undefined {
  for (const entry of entries) {
    if (jarPaths.includes(entry)) return entry
    if (entry.endsWith('/*')) {
      const dir = entry.slice(0, -1)
      const jar = jarPaths.find((path) => path.startsWith(dir) && !path.slice(dir.length).includes('/'))
      if (jar) return jar
    }
  }
  return undefined
}

const SETUP = (steps: string) => `\`pinctl setup-client --only ${steps}\``

function check(name: string, status: Check['status'], detail: string, fix?: string): Check {
  return {layer: 'host', name, status, detail, ...(fix ? {fix} : {})}
}

function evaluateJava(facts: HostFacts): Check {
  if (facts.javaMajor === undefined) {
    return check('java', 'fail', 'no java on the PATH of the SSH user', `${SETUP('java')} installs it with ${facts.packageManager ?? 'the package manager'}`)
  }
  if (facts.javaMajor < 8) return check('java', 'fail', `Java ${facts.javaMajor} is too old for Kafka 2.8.1 (needs 8 or 11+)`, SETUP('java'))
  return check('java', 'ok', `Java ${facts.javaMajor} (${facts.javaVersion})`)
}

function evaluateIamJar(facts: HostFacts, ctx: HostContext): Check {
  const jars = facts.iamJars
  const needed = ctx.auth === 'iam'
  if (jars.length === 0) {
    return check(
      'iam-jar',
      needed ? 'fail' : 'warn',
      `no aws-msk-iam-auth jar in ~/${KAFKA_DIR}/libs${needed ? ': IAM auth fails with ClassNotFoundException: IAMLoginModule' : ' (auth=plaintext does not use it, but MSK with IAM does)'}`,
      SETUP('iam-jar,classpath,rest-proxy'),
    )
  }
  const wanted = facts.javaMajor === undefined ? undefined : PINNED[iamJarFor(facts.javaMajor)].name
  for (const jar of jars) {
    const parsed = iamJarVersion(jar)
    if (parsed && facts.javaMajor !== undefined && facts.javaMajor < 17 && jarNeedsJava17(parsed.version)) {
      return check(
        'iam-jar',
        'fail',
        `${jar} is built for Java 17 (class file version 61.0) but the host runs Java ${facts.javaMajor}: UnsupportedClassVersionError`,
        `${SETUP('iam-jar,classpath,rest-proxy')} replaces it with ${wanted} (2.3.4 is the newest built for Java 8/11), or install Java 17`,
      )
    }
  }
  if (jars.length > 1) {
    return check('iam-jar', 'warn', `${jars.length} IAM jars in libs/ (${jars.join(', ')}): which one loads depends on classpath order`, `${SETUP('iam-jar')} keeps exactly one`)
  }
  const parsed = iamJarVersion(jars[0])
  if (parsed && !parsed.all) {
    return check('iam-jar', needed ? 'fail' : 'warn', `${jars[0]} is the thin jar: without the AWS SDK classes it needs (the -all jar bundles them) it fails with NoClassDefFoundError`, `${SETUP('iam-jar')} installs the -all jar`)
  }
  return check('iam-jar', 'ok', `${jars[0]}${facts.javaMajor !== undefined ? ` (runs on Java ${facts.javaMajor})` : ''}`)
}

function evaluateClientProperties(facts: HostFacts, ctx: HostContext): Check {
  const text = facts.files.clientProperties
  const path = `~/${KAFKA_DIR}/bin/client.properties`
  if (text === undefined) {
    return check('client-properties', 'fail', `${path} missing: kafka tools run with --command-config fail, without it they time out`, SETUP('client-properties'))
  }
  const props = parseProperties(text)
  const protocol = props.get('security.protocol') ?? 'PLAINTEXT'
  const problems: string[] = []
  if (ctx.auth === 'iam') {
    if (protocol !== 'SASL_SSL') problems.push(`security.protocol=${protocol} but IAM needs SASL_SSL (brokers on 9098)`)
    if (props.get('sasl.mechanism') !== 'AWS_MSK_IAM') problems.push(`sasl.mechanism=${props.get('sasl.mechanism') ?? '(unset)'} but IAM needs AWS_MSK_IAM`)
    const jaas = props.get('sasl.jaas.config') ?? ''
    if (!jaas.includes('software.amazon.msk.auth.iam.IAMLoginModule')) problems.push('sasl.jaas.config does not use software.amazon.msk.auth.iam.IAMLoginModule')
    const arn = /awsRoleArn="([^"]*)"/.exec(jaas)?.[1]
    if (arn && ctx.roleArn && arn !== ctx.roleArn) problems.push(`awsRoleArn is ${arn} but the role is ${ctx.roleArn}`)
    if (!(props.get('sasl.client.callback.handler.class') ?? '').includes('IAMClientCallbackHandler')) {
      problems.push('sasl.client.callback.handler.class is not software.amazon.msk.auth.iam.IAMClientCallbackHandler')
    }
  } else if (protocol !== 'PLAINTEXT') {
    problems.push(`security.protocol=${protocol} but auth is plaintext (PLAINTEXT listener)`)
  }
  if (problems.length > 0) {
    return check('client-properties', 'fail', `${path}: ${problems.join('; ')}`, `${SETUP('client-properties')} rewrites it for auth=${ctx.auth} (a .bak of yours is kept); if auth is wrong, set auth / PINCTL_AUTH`)
  }
  return check('client-properties', 'ok', `${path}: security.protocol=${protocol}${ctx.auth === 'iam' ? ', AWS_MSK_IAM' : ''}`)
}

function evaluateBashrcClasspath(facts: HostFacts, probe: DoctorProbe, ctx: HostContext): Check {
  const values = classpathValues(facts.classpathLines.join('\n'))
  if (values.length === 0) {
    return check(
      'classpath',
      'warn',
      '~/.bashrc exports no CLASSPATH with the IAM jar (Kafka\'s own tools add libs/* themselves; the seed added it for everything else started from a login shell)',
      SETUP('classpath'),
    )
  }
  const jar = findIamJar(classpathEntries(values, facts.home), probe.iamJarPaths)
  if (!jar) {
    return check(
      'classpath',
      ctx.auth === 'iam' ? 'fail' : 'warn',
      `~/.bashrc sets CLASSPATH=${values.at(-1)}, which names no existing IAM jar: programs started from a login shell get ClassNotFoundException: IAMLoginModule`,
      SETUP('iam-jar,classpath'),
    )
  }
  if (facts.classpathLines.length > 1) return check('classpath', 'warn', `~/.bashrc exports CLASSPATH ${facts.classpathLines.length} times; the last one wins`, SETUP('classpath'))
  return check('classpath', 'ok', `~/.bashrc: CLASSPATH=${values[0]}`)
}

function evaluateServiceClasspath(facts: HostFacts, probe: DoctorProbe, ctx: HostContext): Check {
  const needed = ctx.auth === 'iam'
  const where = facts.systemd ? '/etc/systemd/system/kafka-rest.service' : '~/.pinctl/kafka-rest.env'
  const text = facts.systemd ? facts.files.serviceUnit : facts.files.serviceEnv
  if (text === undefined) {
    return check(
      'rest-classpath',
      needed ? 'fail' : 'warn',
      `no REST proxy service environment (${where}): a proxy started without it has no IAM jar on its classpath${needed ? ' (ClassNotFoundException: IAMLoginModule)' : ''}`,
      '`pinctl rest-proxy start` installs the service with CLASSPATH in its environment',
    )
  }
  const values = classpathValues(text)
  if (values.length === 0) {
    return check(
      'rest-classpath',
      needed ? 'fail' : 'warn',
      `${where} sets no CLASSPATH: the REST proxy does not add Kafka's libs/ and a ~/.bashrc export does not reach a service${needed ? ' — ClassNotFoundException: IAMLoginModule' : ''}`,
      '`pinctl rest-proxy start` rewrites the service environment and restarts the proxy',
    )
  }
  const jar = findIamJar(classpathEntries(values, facts.home), probe.iamJarPaths)
  if (!jar) {
    return check(
      'rest-classpath',
      needed ? 'fail' : 'warn',
      `${where} sets CLASSPATH=${values.at(-1)}, which names no existing IAM jar${needed ? ': the proxy fails with ClassNotFoundException: IAMLoginModule' : ''}`,
      SETUP('iam-jar,rest-proxy'),
    )
  }
  return check('rest-classpath', 'ok', `${where}: CLASSPATH=${values.at(-1)}`)
}

/** Edit distance, to recognise a misspelt `bootstrap.servers` (the seed wrote one). */
function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, index) => index)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]
}

const SASL_KEYS = ['security.protocol', 'sasl.mechanism', 'sasl.jaas.config', 'sasl.client.callback.handler.class']

function sameBrokers(a: string, b: string): boolean {
  const norm = (list: string) => list.split(',').map((entry) => entry.trim()).filter(Boolean).sort().join(',')
  return norm(a) === norm(b)
}

function evaluateRestProperties(facts: HostFacts, ctx: HostContext): Check {
  const path = `~/${CONFLUENT_DIR}/etc/kafka-rest/kafka-rest.properties`
  const text = facts.files.restProperties
  if (text === undefined) return check('rest-properties', 'fail', `${path} missing`, '`pinctl rest-proxy start` writes it')
  const props = parseProperties(text)
  const fails: string[] = []
  const warns: string[] = []
  const bootstrap = props.get('bootstrap.servers')
  if (bootstrap === undefined) {
    const misspelt = [...props.keys()].filter((key) => key !== 'bootstrap.servers' && (distance(key.toLowerCase(), 'bootstrap.servers') <= 3 || /boo\w*strap/i.test(key)))
    fails.push(
      misspelt.length > 0
        ? `no bootstrap.servers — found ${misspelt.map((key) => JSON.stringify(key)).join(', ')} instead (misspelt, as in the seed), so the proxy has no brokers`
        : 'no bootstrap.servers: the proxy has no brokers to talk to',
    )
  } else if (ctx.bootstrapServers && !sameBrokers(bootstrap, ctx.bootstrapServers)) {
    warns.push(`bootstrap.servers=${bootstrap} differs from the cluster's ${ctx.bootstrapServers}`)
  }
  const unprefixed = SASL_KEYS.filter((key) => props.has(key))
  if (ctx.auth === 'iam') {
    const missing = SASL_KEYS.filter((key) => !props.has(`client.${key}`))
    if (missing.length > 0 && unprefixed.length > 0) {
      fails.push(`the SASL settings lack the client. prefix (${unprefixed.join(', ')}): the proxy's Kafka clients only read client.*, so they connect without IAM auth and time out`)
    } else if (missing.length > 0) {
      fails.push(`no ${missing.map((key) => `client.${key}`).join(', ')}: the proxy's Kafka clients connect without IAM auth`)
    } else {
      if (props.get('client.security.protocol') !== 'SASL_SSL') fails.push(`client.security.protocol=${props.get('client.security.protocol')} but IAM needs SASL_SSL`)
      if (props.get('client.sasl.mechanism') !== 'AWS_MSK_IAM') fails.push(`client.sasl.mechanism=${props.get('client.sasl.mechanism')} but IAM needs AWS_MSK_IAM`)
      const arn = /awsRoleArn="([^"]*)"/.exec(props.get('client.sasl.jaas.config') ?? '')?.[1]
      if (arn && ctx.roleArn && arn !== ctx.roleArn) fails.push(`client.sasl.jaas.config names ${arn} but the role is ${ctx.roleArn}`)
    }
  } else {
    const protocol = props.get('client.security.protocol')
    if (protocol !== undefined && protocol !== 'PLAINTEXT') fails.push(`client.security.protocol=${protocol} but auth is plaintext`)
    if (unprefixed.length > 0) warns.push(`${unprefixed.join(', ')} without the client. prefix: the proxy's Kafka clients ignore them`)
  }
  const listeners = props.get('listeners')
  if (listeners && !listeners.split(',').some((listener) => listener.trim().endsWith(`:${ctx.restProxyPort}`))) {
    warns.push(`listeners=${listeners} does not include port ${ctx.restProxyPort}`)
  }
  const fix = '`pinctl rest-proxy start` rewrites it (keeping a .bak of yours) and makes sure the proxy runs as a service with it'
  if (fails.length > 0) return check('rest-properties', 'fail', `${path}: ${[...fails, ...warns].join('; ')}`, fix)
  if (warns.length > 0) return check('rest-properties', 'warn', `${path}: ${warns.join('; ')}`, fix)
  return check('rest-properties', 'ok', `${path}: bootstrap.servers=${bootstrap}${ctx.auth === 'iam' ? ', client.* SASL settings present' : ''}`)
}

/** The host layer, from one facts probe: Java vs the IAM jar, Kafka, properties files, classpaths. */
export function evaluateHostFacts(facts: HostFacts, probe: DoctorProbe, ctx: HostContext): Check[] {
  const checks = [
    evaluateJava(facts),
    facts.kafkaPresent
      ? check('kafka', 'ok', `~/${KAFKA_DIR} present`)
      : check('kafka', 'fail', `~/${KAFKA_DIR} missing (or incomplete: no libs/kafka_2.12-2.8.1.jar or bin/kafka-topics.sh)`, SETUP('kafka')),
    evaluateIamJar(facts, ctx),
    evaluateClientProperties(facts, ctx),
    evaluateBashrcClasspath(facts, probe, ctx),
  ]
  if (!facts.confluentPresent) {
    checks.push(
      check('confluent', 'fail', `~/${CONFLUENT_DIR} missing: no REST proxy on the host`, SETUP('confluent,rest-properties,rest-proxy')),
      check('rest-properties', 'skip', `needs ~/${CONFLUENT_DIR}`),
      check('rest-classpath', 'skip', `needs ~/${CONFLUENT_DIR}`),
    )
    return checks
  }
  checks.push(check('confluent', 'ok', `~/${CONFLUENT_DIR} present`), evaluateRestProperties(facts, ctx), evaluateServiceClasspath(facts, probe, ctx))
  return checks
}

function restCheck(name: string, status: Check['status'], detail: string, fix?: string): Check {
  return {layer: 'rest-proxy', name, status, detail, ...(fix ? {fix} : {})}
}

/** The REST proxy layer: runs as a service, answers GET /topics, and what its log says. */
export function evaluateRestProxy(facts: HostFacts, probe: DoctorProbe, ctx: HostContext): Check[] {
  const {restProxy} = probe
  const servicePid = facts.systemd ? restProxy.mainPid || undefined : restProxy.pidFile
  const how = facts.systemd ? 'the systemd unit kafka-rest' : 'the background service (pid file ~/.pinctl/kafka-rest.pid; no systemd on this host)'
  const strays = restProxy.processes.filter((process) => process.pid !== servicePid && process.sid !== servicePid)
  const start = '`pinctl rest-proxy start` runs it as a service'
  const checks: Check[] = []
  if (facts.restProxy.running) {
    checks.push(
      strays.length > 0
        ? restCheck('service', 'warn', `running as ${how} (pid ${servicePid ?? '?'}), and another REST proxy (pid ${strays.map((p) => p.pid).join(', ')}) was started by hand: it dies with its SSH session and may hold the port`, `stop it: \`pinctl ssh -- kill ${strays.map((p) => p.pid).join(' ')}\``)
        : restCheck('service', 'ok', `running as ${how} (pid ${servicePid ?? '?'})`),
    )
  } else if (strays.length > 0) {
    checks.push(
      restCheck(
        'service',
        'warn',
        `a REST proxy runs (pid ${strays.map((p) => p.pid).join(', ')}) but not as the service: started by hand in an SSH session, it dies when that session ends`,
        `stop it (\`pinctl ssh -- kill ${strays.map((p) => p.pid).join(' ')}\`), then ${start}`,
      ),
    )
  } else {
    checks.push(
      restCheck(
        'service',
        'fail',
        `not running: ${how} is not active; a proxy started by hand with kafka-rest-start dies with the SSH session that started it`,
        start,
      ),
    )
  }

  const {http} = restProxy
  let answered = false
  if (http.code === 200) {
    let topics: unknown
    try {
      topics = JSON.parse(http.body ?? '')
    } catch {
      topics = undefined
    }
    if (Array.isArray(topics)) {
      answered = true
      checks.push(restCheck('http', 'ok', `GET :${ctx.restProxyPort}/topics → 200, ${topics.length} topic(s)`))
    } else {
      checks.push(restCheck('http', 'fail', `GET :${ctx.restProxyPort}/topics → 200 but not a JSON list: ${(http.body ?? '').slice(0, 120)}`, 'is something else listening on the port? `pinctl ssh -- ss -ltnp`'))
    }
  } else if (http.rc === 127) {
    checks.push(restCheck('http', 'skip', 'neither curl nor wget on the host'))
  } else if (!http.code) {
    checks.push(restCheck('http', 'fail', `nothing answers GET :${ctx.restProxyPort}/topics on the host${http.error ? ` (${http.error.split('\n')[0]})` : ''}`, facts.restProxy.running ? 'the proxy runs but does not listen: see the log check below and `pinctl rest-proxy logs`' : start))
  } else {
    checks.push(restCheck('http', 'fail', `GET :${ctx.restProxyPort}/topics → ${http.code}: ${(http.body ?? '').slice(0, 160)}`, 'the proxy answers but cannot list topics: see the log check, `pinctl rest-proxy logs` and the auth layer'))
  }

  if (restProxy.logSource !== 'none') {
    const tripUps = diagnoseKafkaOutput(restProxy.log ?? '').filter((tripUp) => tripUp.id !== 'topic-exists')
    const source = restProxy.logSource === 'journal' ? 'journalctl -u kafka-rest' : '~/.pinctl/kafka-rest.log'
    if (tripUps.length > 0) {
      const [first] = tripUps
      checks.push(restCheck('log', answered ? 'warn' : 'fail', `${source} since the last start: ${tripUps.map((t) => t.cause).join('; ')} — "${first.evidence}"`, first.fix))
    } else {
      checks.push(restCheck('log', 'ok', `${source}: no known error since the last start`))
    }
  }
  return checks
}
