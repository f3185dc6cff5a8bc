// pinctl benchmarks. Each measures a pinctl command against a baseline in the same run and reports the
// median of N runs, the ratio and the issue's goal; bench/RESULTS.md is rewritten with the figures.
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const PINCTL = join(ROOT, 'bin', 'run.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 7)
// Names every topic and consumer group this run creates, so no run reads or deletes another's.
const TAG = Date.now().toString(36)
const DIR = mkdtempSync(join(tmpdir(), 'pinctl-bench-'))
const GNU_TIME = '/usr/bin/time'
const node = process.execPath
const loadAtStart = loadavg()[0]

function time(argv, options = {}) {
  const started = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    // stdout is a pipe this script reads to the end (100,000 JSON records are ~15 MB).
    maxBuffer: 1 << 28,
    env: {...process.env, NO_COLOR: '1'},
    ...options,
  })
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.error) throw new Error(`${argv[0]}: ${result.error.message}`)
  if (result.status !== 0 && !options.allowFail) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`)
  return {ms, stdout: result.stdout, status: result.status, stderr: result.stderr}
}

// CPU time of the whole machine so far, in seconds: busy (user, system, irq, softirq) and nice apart. Niced
// work here is the hosts' background CDS archive writers (idle priority), which yield the CPU to everything else.
function cpuSeconds() {
  const [, user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number)
  return {busy: (user + system + irq + softirq) / 100, nice: nice / 100}
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)
const count = (n) => Math.round(n).toLocaleString('en-US')
const perSecond = (records, ms) => records / (ms / 1000)

function series(label, make, runs = RUNS) {
  const times = []
  for (let i = 0; i < runs; i++) times.push(make(i).ms)
  return {label, median: median(times), min: Math.min(...times), runs}
}

// Several measurements taken in turn (a, b, c, a, b, c, …), so that a busy moment of the machine falls on all of them.
function interleaved(makers, runs) {
  const times = makers.map(() => [])
  for (let i = 0; i < runs; i++) makers.forEach(([, make], index) => times[index].push(make(i).ms))
  return makers.map(([label], index) => ({label, median: median(times[index]), min: Math.min(...times[index]), runs}))
}

// Goals of the issue, checked against a row: a ratio to the baseline, an absolute rate, or a size.
const ratioAtMost = (limit) => ({text: `≤ ${limit}×`, met: (subject, ratio) => ratio <= limit})
const rateAtLeast = (records, limit) => ({
  text: `≥ ${count(limit)} records/s`,
  met: (subject) => perSecond(records, subject.median) >= limit,
})
const MB = 1024 // KB, as GNU time counts them
const mbAtMost = (limit) => ({text: `≤ ${limit} MB`, met: (row) => row.kb / MB <= limit})
const goalCell = (goal, ...row) => (goal ? `${goal.text}: ${goal.met(...row) ? 'met' : 'not met'}` : '')

function sandbox(name) {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run bench/run.sh, or eval "$(scripts/sandbox env)" first`)
  return value
}

const pinctl = (...args) => [node, PINCTL, ...args]
// Plain OpenSSH to the sandbox host, its key checked against the sandbox's known_hosts: the floor for
// anything that runs a command on the host.
const ssh = (command) => [
  'ssh',
  ...['-i', sandbox('PINCTL_KEY_FILE'), '-p', sandbox('PINCTL_SSH_PORT')],
  ...['-o', `UserKnownHostsFile=${sandbox('PINCTL_KNOWN_HOSTS')}`, '-o', 'BatchMode=yes'],
  `${sandbox('PINCTL_SSH_USER')}@${sandbox('PINCTL_HOST')}`,
  command,
]
// A Kafka tool on the host with the client.properties setup-client wrote; each tool names the flag its own way.
const KAFKA_BIN = '~/kafka_2.12-2.8.1/bin'
const kafkaTool = (tool, configFlag, args) =>
  `${KAFKA_BIN}/${tool} --bootstrap-server ${sandbox('PINCTL_BOOTSTRAP_SERVERS')} ${configFlag} ${KAFKA_BIN}/client.properties ${args}`

// Topics this run creates (all named with TAG), deleted when it ends so the shared broker does not fill up.
const created = []
const noted = (topic) => {
  created.push(topic)
  return topic
}
// The three topics `pinctl topics create --user USER` makes.
const kinds = (user) => ['pin', 'geo', 'user'].map((kind) => `${user}.${kind}`)
process.on('exit', () => {
  if (created.length === 0) return
  const names = created.map((topic) => topic.replaceAll('.', '\\.')).join('|')
  try {
    const removal = time(ssh(kafkaTool('kafka-topics.sh', '--command-config', `--delete --topic '${names}'`)), {allowFail: true})
    if (removal.status !== 0) throw new Error(removal.stderr.trim())
  } catch (error) {
    console.error(`could not delete this run's ${created.length} topics: ${error.message}`)
  }
})

// Pin-shaped JSON records, one per line: what `pinctl produce --file` and kafka-console-producer.sh take.
const recordLines = (records) =>
  Array.from({length: records}, (_, index) =>
    JSON.stringify({index, unique_id: `bench-${TAG}-${index}`, title: `bench record ${index}`, follower_count: index % 997}),
  )

// One set of bench topics per run of this script, made on first use by `pinctl topics create`.
let benchTopics
function makeBenchTopics() {
  if (!benchTopics) {
    const [pin, geo, user] = kinds(`bench${TAG}`).map(noted)
    time(pinctl('topics', 'create', '--user', `bench${TAG}`))
    benchTopics = {pin, geo, user}
  }
  return benchTopics
}

// Fills a topic once per run with kafka-console-producer.sh on the host (faster than pinctl produce --file here).
function fill(topic, records) {
  const input = `${recordLines(records).join('\n')}\n`
  const run = time(ssh(kafkaTool('kafka-console-producer.sh', '--producer.config', `--topic ${topic}`)), {input})
  return `${topic} filled with ${count(records)} records by kafka-console-producer.sh over ssh in ${fmt(run.ms)}`
}

// A run whose stdout must hold `records` lines: both sides of a comparison read the same records.
function reading(argv, records) {
  const run = time(argv)
  const lines = run.stdout.split('\n').length - 1
  if (lines !== records) throw new Error(`${argv.join(' ')} printed ${lines} lines, not ${records}`)
  return run
}

// Peak RSS of the command's own process (GNU time's %M, KB), the highest of a few runs.
function peakRss(label, makeArgv, records, runs) {
  if (!existsSync(GNU_TIME)) throw new Error(`peak RSS needs GNU time at ${GNU_TIME} (Debian: apt-get install time)`)
  const out = join(DIR, 'rss')
  const sizes = []
  const measured = series(
    label,
    (i) => {
      const run = reading([GNU_TIME, '-f', '%M', '-o', out, ...makeArgv(i)], records)
      sizes.push(Number(readFileSync(out, 'utf8').trim().split('\n').at(-1)))
      return run
    },
    runs,
  )
  return {...measured, records, kb: Math.max(...sizes)}
}

// A second table for sizes, which have no baseline: the peak RSS of runs that read `records` records.
const rssTable = (rows) => [
  '| peak RSS of | records | runs | peak RSS (highest run) | median time | records/s | goal |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map(
    (row) =>
      `| ${row.label} | ${count(row.records)} | ${row.runs} | ${(row.kb / MB).toFixed(0)} MB | ${fmt(row.median)} | ` +
      `${count(perSecond(row.records, row.median))} | ${goalCell(row.goal, row)} |`,
  ),
]

const results = []
const SECTIONS = ['cold-start', 'topics', 'setup-client', 'hosts', 'consume', 'produce']
// BENCH_ONLY=consume (comma-separated SECTIONS) runs only those sections and prints their tables without
// rewriting bench/RESULTS.md: a quick check of one section.
const only = process.env.BENCH_ONLY?.split(',')
const unknown = only?.filter((section) => !SECTIONS.includes(section)) ?? []
if (unknown.length > 0) throw new Error(`BENCH_ONLY: no section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`)
const want = (section) => !only || only.includes(section)
// Every section but cold-start talks to the sandbox: check its variables before anything is created.
const SANDBOX_VARIABLES = [
  'PINCTL_HOST',
  'PINCTL_SSH_PORT',
  'PINCTL_SSH_USER',
  'PINCTL_KEY_FILE',
  'PINCTL_KNOWN_HOSTS',
  'PINCTL_BOOTSTRAP_SERVERS',
]
if (SECTIONS.slice(1).some(want)) SANDBOX_VARIABLES.forEach(sandbox)

// 1. Cold start: `pinctl --version` against a bare Node start (the floor any Node CLI pays).
if (want('cold-start')) {
  const baseline = series('node -e 0', () => time([node, '-e', '0']), 15)
  const version = series('pinctl --version', () => time(pinctl('--version')), 15)
  const help = series('pinctl --help', () => time(pinctl('--help')), 15)
  results.push({name: 'CLI cold start', baseline, subjects: [version, help].map((s) => ({...s, goal: ratioAtMost(3)}))})
}

// 2. topics create: three topics in one remote command (JVMs side by side) against one
//    kafka-topics.sh --create on the host over plain ssh, and against three in sequence (the seed's way).
if (want('topics')) {
  const create = (topic) => kafkaTool('kafka-topics.sh', '--command-config', `--create --if-not-exists --topic ${topic}`)
  const [one, ours, three] = interleaved(
    [
      ['ssh host kafka-topics.sh --create (1 topic)', (i) => time(ssh(create(noted(`b1${TAG}x${i}.pin`))))],
      [
        'pinctl topics create (3 topics)',
        (i) => {
          kinds(`bt${TAG}x${i}`).forEach(noted)
          return time(pinctl('topics', 'create', '--user', `bt${TAG}x${i}`))
        },
      ],
      ['ssh host 3 × kafka-topics.sh --create in sequence', (i) => time(ssh(kinds(`b3${TAG}x${i}`).map(noted).map(create).join(' && ')))],
    ],
    RUNS,
  )
  results.push({name: 'topics create', baseline: one, subjects: [{...ours, goal: ratioAtMost(1.3)}, three]})
}

// 3. setup-client: a fresh host against a provisioned one (the no-op re-run), with the SSH
//    connections and remote commands the no-op made; baseline: one plain ssh connection running `true`.
if (want('setup-client')) {
  const runs = Math.min(RUNS, 3)
  const fresh = series(
    'setup-client on a fresh host',
    () => {
      execFileSync(join(ROOT, 'scripts', 'sandbox'), ['reset-host'], {stdio: 'ignore'})
      return time(pinctl('setup-client', '--yes'))
    },
    runs,
  )
  // Right after a fresh run the CDS archive of kafka-topics.sh is still being written in the background
  // (nice 19): the first re-run lists topics without it. Then the steady state, interleaved with the baseline.
  const first = series(
    'setup-client re-run within a second of a fresh run (no CDS archive yet)',
    () => time(pinctl('setup-client', '--yes')),
    1,
  )
  execFileSync('sleep', ['5'])
  // The checks the no-op must make (the issue keeps them), as setup-client sends them, run over plain ssh:
  // the floor of a no-op that verifies, with OpenSSH's start-up instead of pinctl's.
  const settings = JSON.parse(time(pinctl('config', 'show', '--json')).stdout).settings
  const setting = (key) => settings.find((entry) => entry.key === key).value
  const {verifyScript} = await import('../dist/provision/remote-scripts.js')
  const checks = verifyScript(setting('bootstrapServers'), setting('restProxyPort'))
  let report
  const [floor, ours, byHand, noop] = interleaved(
    [
      ['ssh -i key host true', () => time(ssh('true'))],
      ['pinctl ssh -- true', () => time(pinctl('ssh', '--', 'true'))],
      ["ssh host sh -s < setup-client's verify checks (kafka-topics.sh --list, GET /topics)", () => time(ssh('sh -s'), {input: checks})],
      [
        'setup-client re-run (no-op)',
        () => {
          const run = time(pinctl('setup-client', '--yes', '--json'))
          report = JSON.parse(run.stdout)
          return run
        },
      ],
    ],
    RUNS,
  )
  results.push({
    name: 'setup-client',
    baseline: floor,
    subjects: [ours, fresh, first, byHand, {...noop, goal: ratioAtMost(3)}],
    notes: [`no-op re-run: ${report.changed} changed, ${report.ssh.connections} SSH connection, ${report.ssh.execs} remote commands`],
  })
}

// 4. Many hosts: fresh setup-client on the first 4 hosts of the sandbox's inventory at once against
//    fresh setup-client on the first of them alone, both through --inventory (the same code path).
//    The hosts share this machine's CPUs, so this measures the overlap of their waits, not more cores.
if (want('hosts')) {
  const entries = JSON.parse(readFileSync(process.env.PINCTL_INVENTORY ?? '', 'utf8')).slice(0, 4)
  if (entries.length < 4) throw new Error(`the sandbox's inventory lists ${entries.length} host(s): start it with PINCTL_SANDBOX_HOSTS=4`)
  const write = (name, list) => {
    writeFileSync(join(DIR, name), JSON.stringify(list))
    return join(DIR, name)
  }
  const one = write('one.json', entries.slice(0, 1))
  const four = write('four.json', entries)
  // ec2-user is host 1, ec2-user<i> host i (scripts/sandbox reset-host numbers).
  const numbers = entries.map((entry) => /^ec2-user(\d*)$/.exec(entry.sshUser)?.[1] || '1')
  const reset = () => execFileSync(join(ROOT, 'scripts', 'sandbox'), ['reset-host', ...numbers], {stdio: 'ignore'})
  const runs = Math.min(RUNS, 3)
  // CPU-seconds the whole machine spent during each run (every process: pinctl, sshd, the hosts' JVMs and
  // tar, the broker), from /proc/stat: the hosts share these cores, so this bounds what concurrency can do.
  const cpu = {one: [], four: [], oneNice: [], fourNice: []}
  const fresh = (file, busy, nice) => () => {
    reset()
    execFileSync('sleep', ['3']) // the previous run's background work (the CDS archive, a REST proxy's start) ends
    const before = cpuSeconds()
    const run = time(pinctl('setup-client', '--yes', '--inventory', file))
    const after = cpuSeconds()
    busy.push(after.busy - before.busy)
    nice.push(after.nice - before.nice)
    return run
  }
  const single = series('setup-client --inventory, 1 fresh host', fresh(one, cpu.one, cpu.oneNice), runs)
  const all = series('setup-client --inventory, 4 fresh hosts (concurrency 8)', fresh(four, cpu.four, cpu.fourNice), runs)
  // The extra hosts' REST proxies are JVMs: stop them; host 1 is provisioned again for whoever comes next.
  reset()
  time(pinctl('setup-client', '--yes', '--inventory', one))
  const cores = Number(execFileSync('nproc').toString().trim())
  const [oneCpu, fourCpu] = [median(cpu.one), median(cpu.four)]
  const oneSeconds = single.median / 1000
  // The 4-host run cannot take less than its CPU time spread over every core; against one host's time that is
  // 4 hosts' CPU / cores / one host's time = (cores one host keeps busy) × (4 / cores) × (CPU per host with 4 / with 1).
  const bound = fourCpu / cores
  const busyCores = oneCpu / oneSeconds
  const perHost = fourCpu / 4 / oneCpu
  results.push({
    name: 'many hosts',
    baseline: single,
    subjects: [{...all, goal: ratioAtMost(2)}],
    notes: [
      `CPU the whole machine spent during a run (medians, /proc/stat, not counting niced work): 1 host ${oneCpu.toFixed(2)} s, ` +
        `4 hosts ${fourCpu.toFixed(2)} s (${(fourCpu / 4).toFixed(2)} s a host); the hosts' background CDS archive writers ` +
        `(idle priority) took another ${median(cpu.oneNice).toFixed(2)} s and ${median(cpu.fourNice).toFixed(2)} s of otherwise idle CPU.`,
      `On ${cores} cores the 4-host run needs at least ${fourCpu.toFixed(2)} / ${cores} = ${bound.toFixed(2)} s ` +
        `(it took ${fmt(all.median)}: the cores were ${Math.round((100 * bound) / (all.median / 1000))}% busy with it). Against one host ` +
        `that floor is ${(bound / oneSeconds).toFixed(2)}× = ${busyCores.toFixed(2)} cores busy during one host's run × 4 hosts / ` +
        `${cores} cores × ${perHost.toFixed(2)} (CPU a host costs among 4 against alone): below 2× only if one host's run kept ` +
        `at most one core busy, or a host cost less CPU among others than alone.`,
    ],
  })
}

// 5. consume: `pinctl consume --output json` against the console consumer over plain ssh, both reading
//    all 2,000 records of a topic that holds exactly 2,000 (so both read the same ones) into a pipe.
//    Then pinctl's peak RSS at 2,000 and at 100,000 records. Each pinctl run has a fresh consumer group,
//    so --from-beginning starts at the beginning; the console consumer without --group makes its own.
if (want('consume')) {
  const topics = makeBenchTopics()
  const fills = [fill(topics.pin, 2000), fill(topics.geo, 100_000)]
  let groups = 0
  // A fresh consumer group for each run, so --from-beginning reads from the start every time.
  const consumeArgv = (topic, records) => () =>
    pinctl('consume', topic, '--group', `bench${TAG}g${groups++}`, '--from-beginning', '--max-messages', `${records}`, '--output', 'json')
  const consoleConsumer = (topic, records) =>
    ssh(kafkaTool('kafka-console-consumer.sh', '--consumer.config', `--topic ${topic} --from-beginning --max-messages ${records}`))
  const baseline = series('ssh host kafka-console-consumer.sh (2,000 records)', () => reading(consoleConsumer(topics.pin, 2000), 2000))
  const ours = series('pinctl consume --output json (2,000 records)', () => reading(consumeArgv(topics.pin, 2000)(), 2000))
  const label = 'pinctl consume --output json'
  const rss = [
    peakRss(label, consumeArgv(topics.pin, 2000), 2000, Math.min(RUNS, 3)),
    {...peakRss(label, consumeArgv(topics.geo, 100_000), 100_000, Math.min(RUNS, 3)), goal: mbAtMost(150)},
  ]
  results.push({
    name: 'consume',
    baseline,
    subjects: [{...ours, goal: ratioAtMost(1.15)}],
    extra: rssTable(rss),
    notes: [
      ...fills.map((line) => `${line}.`),
      `Peak RSS is GNU time's %M of the node process (MB = 1,024 KB); stdout is a pipe this script reads.`,
    ],
  })
}

// 6. produce --file: 5,000 JSON lines through the REST proxy (an SSH tunnel to the host's :8082),
//    against the same records posted in one request, as pinctl posts them, by curl on the host over plain ssh.
if (want('produce')) {
  const topic = makeBenchTopics().user
  const records = 5000
  const lines = recordLines(records)
  const file = join(DIR, 'records.jsonl')
  writeFileSync(file, `${lines.join('\n')}\n`)
  const body = JSON.stringify({records: lines.map((line) => ({value: JSON.parse(line)}))})
  const url = `http://127.0.0.1:${process.env.PINCTL_REST_PROXY_PORT ?? 8082}/topics/${topic}`
  const post =
    `curl -sS --fail-with-body -X POST -H 'Content-Type: application/vnd.kafka.json.v2+json' ` +
    `-H 'Accept: application/vnd.kafka.v2+json, application/json' --data-binary @- ${url}`
  const posted = () => {
    const run = time(ssh(post), {input: body})
    const offsets = JSON.parse(run.stdout).offsets ?? []
    if (offsets.length !== records || offsets.some((entry) => entry.error_code))
      throw new Error(`the REST proxy wrote ${offsets.filter((entry) => !entry.error_code).length} of ${records} records`)
    return run
  }
  const baseline = series('ssh host curl POST /topics (5,000 records, one request)', posted)
  const ours = series('pinctl produce --file (5,000 records)', () => time(pinctl('produce', topic, '--file', file)))
  results.push({
    name: 'produce --file',
    baseline,
    subjects: [{...ours, goal: rateAtLeast(records, 2000)}],
    notes: [
      `records/s (from the medians): ${[baseline, ours].map((row) => `${row.label} ${count(perSecond(records, row.median))}`).join('; ')}.`,
    ],
  })
}

const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
const machine =
  `${execFileSync('nproc').toString().trim()} cores (${cpu}), load average ${loadAtStart.toFixed(2)} at the start, ` +
  `Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`
const lines = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` (bench/run.sh → bench/run.mjs) on ${machine}, against the local sandbox`,
  '(sshd, Kafka 2.8.1 and the REST proxy stand-in on this machine). Medians of the runs shown; the ratio is',
  "against the baseline row of the same table, measured in the same run; the goal is the performance issue's.",
  'Nothing here is asserted by tests.',
  '',
]
for (const result of results) {
  lines.push(`## ${result.name}`, '', '| what | runs | median | min | ratio to baseline | goal |', '| --- | --- | --- | --- | --- | --- |')
  lines.push(
    `| ${result.baseline.label} (baseline) | ${result.baseline.runs} | ${fmt(result.baseline.median)} | ` +
      `${fmt(result.baseline.min)} | 1.00 | |`,
  )
  for (const subject of result.subjects) {
    const ratio = subject.median / result.baseline.median
    const goal = goalCell(subject.goal, subject, ratio)
    lines.push(`| ${subject.label} | ${subject.runs} | ${fmt(subject.median)} | ${fmt(subject.min)} | ${ratio.toFixed(2)} | ${goal} |`)
  }
  if (result.extra) lines.push('', ...result.extra)
  if (result.notes) lines.push('', ...result.notes)
  lines.push('')
}
const previous = (() => {
  try {
    return readFileSync(join(ROOT, 'bench', 'RESULTS.md'), 'utf8').split('<!-- notes -->')[1] ?? ''
  } catch {
    return ''
  }
})()
if (!only) writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), `${lines.join('\n')}<!-- notes -->${previous || '\n'}`)
console.log(lines.join('\n'))
