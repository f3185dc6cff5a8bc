import {execa} from 'execa'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ensureKeyFile, freePort, pinctl, PINCTL, REPO, requireSandboxEnv, sandboxEnv} from './harness.js'

interface Entry {
  userId: string
  host: string
  sshPort: number
  sshUser: string
  keyFile: string
  restProxyPort: number
}

interface Outcome {
  host: string
  userId: string
  status: string
  exitCode: number
  result?: {changed: number; steps: Array<{name: string; status: string}>}
}

interface InventoryRun {
  hosts: Outcome[]
  exitCode: number
}

const dir = mkdtempSync(join(tmpdir(), 'pinctl-inventory-'))
let hosts: Entry[] = []
/** The sandbox's numbers of those hosts (ec2-user<i> is host i), for reset-host. */
let numbers: string[] = []

/** An inventory file in YAML (the JSON file of the sandbox is read as is elsewhere). */
function inventoryFile(name: string, entries: Entry[]): string {
  const path = join(dir, name)
  writeFileSync(path, entries.map((entry) => `- ${JSON.stringify(entry)}`).join('\n') + '\n')
  return path
}

async function resetHosts(): Promise<void> {
  const result = await execa(join(REPO, 'scripts', 'sandbox'), ['reset-host', ...numbers], {reject: false})
  if (result.exitCode !== 0) throw new Error(`reset-host ${numbers.join(' ')} failed: ${result.stderr}`)
}

async function setupClient(file: string): Promise<{exitCode: number; run: InventoryRun; stderr: string}> {
  const result = await pinctl(['setup-client', '--yes', '--json', '--inventory', file])
  return {exitCode: result.exitCode ?? -1, run: JSON.parse(String(result.stdout)) as InventoryRun, stderr: String(result.stderr)}
}

beforeAll(async () => {
  const env = {...sandboxEnv(), ...requireSandboxEnv(['PINCTL_INVENTORY'])}
  // Hosts 2.. of the sandbox: host 1 (ec2-user) belongs to the other suites, which reset it at will.
  const all = JSON.parse(readFileSync(env.PINCTL_INVENTORY, 'utf8')) as Entry[]
  hosts = all.filter((entry) => entry.sshUser !== env.PINCTL_SSH_USER).slice(0, 3)
  if (hosts.length < 3) {
    const fix = 'start it with PINCTL_SANDBOX_HOSTS=4 (scripts/test.sh does)'
    throw new Error(`the sandbox runs ${hosts.length} extra host(s), this suite needs 3: ${fix}`)
  }
  numbers = hosts.map((entry) => /^ec2-user(\d+)$/.exec(entry.sshUser)?.[1] ?? entry.sshUser)
  await ensureKeyFile()
  await resetHosts()
}, 120_000)

// The extra hosts' REST proxies are JVMs: do not leave them running on the shared machine.
afterAll(resetHosts, 60_000)

describe('pinctl setup-client --inventory on 3 sandbox hosts', () => {
  it('provisions every host, each with its own user id and its REST proxy on its own port', async () => {
    const {exitCode, run, stderr} = await setupClient(inventoryFile('three.yaml', hosts))
    expect(exitCode, stderr).toBe(0)
    expect(run.exitCode).toBe(0)
    expect(run.hosts.map((outcome) => [outcome.userId, outcome.status])).toEqual(hosts.map((entry) => [entry.userId, 'changed']))
    for (const outcome of run.hosts) expect(outcome.result?.steps.find((step) => step.name === 'verify')?.status).toBe('verified')
    expect(new Set(hosts.map((entry) => entry.restProxyPort)).size).toBe(3)
    for (const entry of hosts) {
      const response = await fetch(`http://127.0.0.1:${entry.restProxyPort}/topics`)
      expect(response.status, `REST proxy of ${entry.sshUser} on :${entry.restProxyPort}`).toBe(200)
      expect(Array.isArray(await response.json())).toBe(true)
    }
  })

  it('changes nothing on any host when run again', async () => {
    const {exitCode, run} = await setupClient(inventoryFile('three.yaml', hosts))
    expect(exitCode).toBe(0)
    expect(run.hosts.map((outcome) => [outcome.status, outcome.result?.changed])).toEqual(hosts.map(() => ['ok', 0]))
  })

  it("doctor checks each host (its REST proxy on its own port); topics create names each host's topics after its user id", async () => {
    const file = inventoryFile('three.yaml', hosts)
    const doctor = await pinctl(['doctor', '--json', '--layer', 'ssh,host,rest-proxy', '--inventory', file])
    expect(doctor.exitCode, String(doctor.stderr)).toBe(0)
    const checked = JSON.parse(String(doctor.stdout)) as {hosts: Array<{status: string; result: {checks: unknown[]}}>}
    expect(checked.hosts.map((outcome) => outcome.status)).toEqual(['ok', 'ok', 'ok'])

    const topics = await pinctl(['topics', 'create', '--json', '--inventory', file])
    expect(topics.exitCode, String(topics.stderr)).toBe(0)
    type TopicsRun = {hosts: Array<{userId: string; result: {topics: Array<{topic: string; status: string}>}}>}
    const created = JSON.parse(String(topics.stdout)) as TopicsRun
    for (const [index, outcome] of created.hosts.entries()) {
      const {userId} = hosts[index]
      expect(outcome.userId).toBe(userId)
      expect(outcome.result.topics.map((topic) => topic.topic)).toEqual([`${userId}.pin`, `${userId}.geo`, `${userId}.user`])
      for (const topic of outcome.result.topics) expect(['created', 'exists']).toContain(topic.status)
    }
  })

  it('fails only the unreachable host, shows it in the summary, and exits with its code', async () => {
    const unreachable = {...hosts[0], sshPort: await freePort(), userId: 'unreachable1'}
    const file = inventoryFile('with-unreachable.yaml', [hosts[0], unreachable, hosts[1]])
    const result = await pinctl(['setup-client', '--yes', '--inventory', file, '--concurrency', '2'])
    const stderr = String(result.stderr)
    expect(result.exitCode, stderr).toBe(4)
    const row = (entry: Entry) =>
      new RegExp(`^${entry.sshUser}@127\\.0\\.0\\.1:${entry.sshPort}\\s+${entry.userId}\\s+(\\S+(?: \\(exit \\d+\\))?)`, 'm')
    expect(row(hosts[0]).exec(stderr)?.[1]).toBe('ok')
    expect(row(unreachable).exec(stderr)?.[1]).toBe('failed (exit 4)')
    expect(row(hosts[1]).exec(stderr)?.[1]).toBe('ok')
    expect(stderr).toMatch(/3 host\(s\): 0 changed, 2 ok, 1 failed .*\(exit 4, the worst host's\)/)
  })

  it('Ctrl-C stops every host: exit 130, the hosts interrupted or never started, and a rerun finishes each', async () => {
    await resetHosts()
    const file = inventoryFile('three.yaml', hosts)
    const child = execa(process.execPath, [PINCTL, 'setup-client', '--yes', '--inventory', file, '--concurrency', '2'], {
      reject: false,
      env: {NO_COLOR: '1'},
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    // Two hosts running (concurrency 2), a moment into their steps; the third waits for a free slot.
    for (let i = 0; i < 100 && (stderr.match(/: setup-client…$/gm) ?? []).length < 2; i++) await new Promise((r) => setTimeout(r, 100))
    expect(stderr.match(/: setup-client…$/gm)).toHaveLength(2)
    await new Promise((resolve) => setTimeout(resolve, 700))
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode, stderr).toBe(130)
    const row = (entry: Entry) => new RegExp(`^${entry.sshUser}@127\\.0\\.0\\.1:${entry.sshPort}\\s+${entry.userId}\\s+(\\S+)`, 'm')
    expect(row(hosts[2]).exec(stderr)?.[1], stderr).toBe('interrupted')
    expect([hosts[0], hosts[1]].map((entry) => row(entry).exec(stderr)?.[1])).toEqual(['interrupted', 'interrupted'])
    expect(stderr).toMatch(/hint: run the same command again to finish the interrupted host\(s\)/)
    // The third host was never touched.
    // (The sandbox's hosts are Unix users of this machine: ~user is the host's home.)
    const third = await execa('sh', ['-c', `ls -A ~${hosts[2].sshUser}`])
    expect(third.stdout).not.toMatch(/kafka_2\.12-2\.8\.1|confluent-7\.2\.0|\.pinctl/)
    // Nothing left half-done: the next run (no lock left behind) provisions and verifies every host.
    const {exitCode, run} = await setupClient(file)
    expect(exitCode).toBe(0)
    for (const outcome of run.hosts) expect(outcome.result?.steps.find((step) => step.name === 'verify')?.status).toBe('verified')
  })

  it('works on one host when only PINCTL_INVENTORY is set (the sandbox exports it), not on the inventory', async () => {
    const result = await pinctl(['doctor', '--layer', 'local', '--json'], {env: {PINCTL_INVENTORY: inventoryFile('three.yaml', hosts)}})
    const report = JSON.parse(String(result.stdout)) as {checks?: unknown[]; hosts?: unknown[]}
    expect(report.hosts).toBeUndefined()
    expect(report.checks?.length).toBeGreaterThan(0)
  })
})
