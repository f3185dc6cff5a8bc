// pinctl benchmarks. Each measures a pinctl command against a baseline in the same run and
// reports the median of N runs and the ratio; bench/RESULTS.md is rewritten with the figures.
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const ROOT = join(import.meta.dirname, '..')
const PINCTL = join(ROOT, 'bin', 'run.js')
const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const node = process.execPath

function time(argv, options = {}) {
  const started = process.hrtime.bigint()
  const result = spawnSync(argv[0], argv.slice(1), {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, ...options})
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0 && !options.allowFail) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`)
  return {ms, stdout: result.stdout}
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)

function series(label, make, runs = RUNS) {
  const times = []
  for (let i = 0; i < runs; i++) times.push(make(i).ms)
  return {label, median: median(times), min: Math.min(...times), runs}
}

const pinctl = (...args) => [node, PINCTL, ...args]
const results = []
// BENCH_ONLY=hosts (comma-separated: cold-start, topics, setup-client, hosts) runs only those sections and
// prints their tables without rewriting bench/RESULTS.md: a quick check of one section.
const only = process.env.BENCH_ONLY?.split(',')
const want = (section) => !only || only.includes(section)

// 1. Cold start: `pinctl --version` against a bare Node start (the floor any Node CLI pays).
if (want('cold-start')) {
  const baseline = series('node -e 0', () => time([node, '-e', '0']), 15)
  const version = series('pinctl --version', () => time(pinctl('--version')), 15)
  const help = series('pinctl --help', () => time(pinctl('--help')), 15)
  results.push({name: 'CLI cold start', baseline, subjects: [version, help]})
}

// 2. topics create: three topics in one remote command (JVMs side by side) against one
//    kafka-topics.sh --create on the host, and against three in sequence (the seed's way).
if (want('topics')) {
  const bs = process.env.PINCTL_BOOTSTRAP_SERVERS
  const create = (topic) =>
    `~/kafka_2.12-2.8.1/bin/kafka-topics.sh --bootstrap-server ${bs} --command-config ~/kafka_2.12-2.8.1/bin/client.properties ` +
      `--create --if-not-exists --topic ${topic}`
  const tag = Date.now().toString(36)
  const runs = Math.min(RUNS, 5)
  const one = series(
    'pinctl ssh -- kafka-topics.sh --create (1 topic)',
    (i) => time(pinctl('ssh', '--', create(`b1${tag}x${i}.pin`))),
    runs,
  )
  const three = series(
    'pinctl ssh -- 3 × kafka-topics.sh --create in sequence',
    (i) => time(pinctl('ssh', '--', ['pin', 'geo', 'user'].map((kind) => create(`b3${tag}x${i}.${kind}`)).join(' && '))),
    runs,
  )
  const ours = series('pinctl topics create (3 topics)', (i) => time(pinctl('topics', 'create', '--user', `bt${tag}x${i}`)), runs)
  results.push({name: 'topics create', baseline: one, subjects: [ours, three]})
}

// 3. setup-client: a fresh host against a provisioned one (the no-op re-run), with the SSH
//    connections and remote commands the no-op made; baseline: one connection running `true`.
if (want('setup-client')) {
  const runs = Math.min(RUNS, 3)
  const floor = series('pinctl ssh -- true', () => time(pinctl('ssh', '--', 'true')), runs)
  const fresh = series(
    'setup-client on a fresh host',
    () => {
      execFileSync(join(ROOT, 'scripts', 'sandbox'), ['reset-host'], {stdio: 'ignore'})
      return time(pinctl('setup-client', '--yes'))
    },
    runs,
  )
  let report
  const noop = series(
    'setup-client re-run (no-op)',
    () => {
      const run = time(pinctl('setup-client', '--yes', '--json'))
      report = JSON.parse(run.stdout)
      return run
    },
    runs,
  )
  results.push({
    name: 'setup-client',
    baseline: floor,
    subjects: [fresh, noop],
    note: `no-op re-run: ${report.changed} changed, ${report.ssh.connections} SSH connection, ${report.ssh.execs} remote commands`,
  })
}

// 4. Many hosts: fresh setup-client on the first 4 hosts of the sandbox's inventory at once against
//    fresh setup-client on the first of them alone, both through --inventory (the same code path).
//    The hosts share this machine's CPUs, so this measures the overlap of their waits, not more cores.
if (want('hosts')) {
  const entries = JSON.parse(readFileSync(process.env.PINCTL_INVENTORY ?? '', 'utf8')).slice(0, 4)
  if (entries.length < 4) throw new Error(`the sandbox's inventory lists ${entries.length} host(s): start it with PINCTL_SANDBOX_HOSTS=4`)
  const dir = mkdtempSync(join(tmpdir(), 'pinctl-bench-'))
  const write = (name, list) => {
    writeFileSync(join(dir, name), JSON.stringify(list))
    return join(dir, name)
  }
  const one = write('one.json', entries.slice(0, 1))
  const four = write('four.json', entries)
  // ec2-user is host 1, ec2-user<i> host i (scripts/sandbox reset-host numbers).
  const numbers = entries.map((entry) => /^ec2-user(\d*)$/.exec(entry.sshUser)?.[1] || '1')
  const reset = () => execFileSync(join(ROOT, 'scripts', 'sandbox'), ['reset-host', ...numbers], {stdio: 'ignore'})
  const runs = Math.min(RUNS, 3)
  const fresh = (file) => () => {
    reset()
    return time(pinctl('setup-client', '--yes', '--inventory', file))
  }
  const single = series('setup-client --inventory, 1 fresh host', fresh(one), runs)
  const all = series('setup-client --inventory, 4 fresh hosts (concurrency 8)', fresh(four), runs)
  // The extra hosts' REST proxies are JVMs: stop them; host 1 is provisioned again for whoever comes next.
  reset()
  time(pinctl('setup-client', '--yes', '--inventory', one))
  results.push({name: 'many hosts', baseline: single, subjects: [all], note: 'goal: 4 hosts ≤ 2× one host'})
}

const machine = `${execFileSync('nproc').toString().trim()} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`
const lines = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` (bench/run.sh → bench/run.mjs) on ${machine}, against the local sandbox`,
  '(sshd, Kafka 2.8.1 and the REST proxy stand-in on this machine). Medians of the runs shown; the ratio is',
  'against the baseline row of the same table, measured in the same run. Nothing here is asserted by tests.',
  '',
]
for (const result of results) {
  lines.push(`## ${result.name}`, '', '| what | runs | median | min | ratio to baseline |', '| --- | --- | --- | --- | --- |')
  lines.push(
    `| ${result.baseline.label} (baseline) | ${result.baseline.runs} | ${fmt(result.baseline.median)} | ` +
      `${fmt(result.baseline.min)} | 1.00 |`,
  )
  for (const subject of result.subjects)
    lines.push(
      `| ${subject.label} | ${subject.runs} | ${fmt(subject.median)} | ${fmt(subject.min)} | ` +
        `${(subject.median / result.baseline.median).toFixed(2)} |`,
    )
  if (result.note) lines.push('', result.note)
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
