import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'

import {ConfigError, ExitCode, SshError, VerifyError} from '../../src/errors.js'
import {loadInventory, type InventoryHost} from '../../src/inventory/load.js'
import {doctorOutcome, provisionOutcome, topicsOutcome} from '../../src/inventory/outcomes.js'
import {runOnHosts, type HostTask} from '../../src/inventory/run.js'
import {hostProgress, renderInventorySummary} from '../../src/ux/inventory.js'
import {Reporter} from '../../src/ux/output.js'
import {captureStream} from './capture-stream.js'

let home: string
let cwd: string

function inventoryFile(name: string, text: string): string {
  writeFileSync(join(cwd, name), text)
  return name
}

const base = () => ({home, cwd, env: {PINCTL_KEY_FILE: '/keys/k.pem'}, flags: {region: 'eu-west-1'}})

async function loadError(file: string): Promise<ConfigError> {
  try {
    await loadInventory(file, base())
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error(`loadInventory(${file}) did not throw`)
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'pinctl-home-'))
  cwd = mkdtempSync(join(tmpdir(), 'pinctl-cwd-'))
})

describe('loadInventory', () => {
  it('reads a YAML list and merges each entry over flags, environment and defaults', async () => {
    const file = inventoryFile(
      'hosts.yaml',
      [
        '- {userId: 12b287eedf6d, host: 10.0.0.5}',
        '- userId: 12b287eedf6e',
        '  host: 10.0.0.6',
        '  sshPort: 2222',
        '  sshUser: admin',
        '  restProxyPort: 18082',
        '  region: us-west-2',
      ].join('\n'),
    )
    const hosts = await loadInventory(file, base())
    expect(hosts.map((host) => host.label)).toEqual(['ec2-user@10.0.0.5:22', 'admin@10.0.0.6:2222'])
    expect(hosts[0].config).toMatchObject({userId: '12b287eedf6d', region: 'eu-west-1', keyFile: '/keys/k.pem', restProxyPort: 8082})
    // An entry is the top layer: it wins over the --region flag.
    expect(hosts[1].config).toMatchObject({
      userId: '12b287eedf6e',
      region: 'us-west-2',
      restProxyPort: 18082,
      roleName: '12b287eedf6e-ec2-access-role',
    })
    expect(hosts[1].config.sources.sshPort).toBe('inventory file hosts.yaml, entry 2')
  })

  it('reads a JSON list', async () => {
    const file = inventoryFile(
      'hosts.json',
      JSON.stringify([
        {userId: 'aaa111', host: 'a.example'},
        {userId: 'bbb222', host: 'b.example'},
      ]),
    )
    expect((await loadInventory(file, base())).map((host) => [host.index, host.config.userId])).toEqual([
      [1, 'aaa111'],
      [2, 'bbb222'],
    ])
  })

  it('names the file and the entry of an invalid setting (exit 2)', async () => {
    const file = inventoryFile('bad.yaml', '- {userId: 12b287eedf6d, host: a}\n- {userId: 12b287eedf6e, host: b, sshPort: 70000}')
    const error = await loadError(file)
    expect(error.exitCode).toBe(ExitCode.config)
    expect(error.message).toMatch(/sshPort.*in inventory file bad\.yaml, entry 2/)
  })

  it('refuses unknown keys, entries that are not objects, no host, duplicates, empty lists and non-lists', async () => {
    const message = async (name: string, text: string) => (await loadError(inventoryFile(name, text))).message
    expect(await message('a.yaml', '- {host: a, sshport: 22}\n')).toMatch(/unknown setting "sshport" in inventory file a\.yaml, entry 1/)
    expect(await message('b.yaml', '- {host: a}\n- just-a-string\n')).toMatch(/entry 2 is not a settings object/)
    expect(await message('c.yaml', '- {userId: abc123}\n')).toMatch(/entry 1 names no host/)
    expect(await message('d.yaml', '- {host: a}\n- {host: b}\n- {host: a, sshPort: 22}\n')).toMatch(/entries 1 and 3 are the same host/)
    expect(await message('e.json', '[]')).toMatch(/lists no hosts/)
    expect(await message('f.yaml', 'host: a\n')).toMatch(/must hold a list of hosts/)
    expect(await message('g.yaml', '- {host: a\n')).toMatch(/neither JSON nor YAML/)
    expect((await loadError('missing.yaml')).message).toMatch(/cannot read inventory file missing\.yaml/)
  })
})

function fakeHosts(count: number): InventoryHost[] {
  return Array.from({length: count}, (_, i) => ({
    index: i + 1,
    label: `ec2-user@host${i + 1}:22`,
    config: {userId: `user${i + 1}`} as InventoryHost['config'],
  }))
}

/** A task whose hosts finish when the test says so, recording how many run at once. */
function controlledTask() {
  const release = new Map<number, () => void>()
  const state = {running: 0, peak: 0, started: [] as number[]}
  const task: HostTask<string> = async (host) => {
    state.running++
    state.peak = Math.max(state.peak, state.running)
    state.started.push(host.index)
    await new Promise<void>((resolve) => release.set(host.index, resolve))
    state.running--
    return {status: 'ok', exitCode: 0, result: host.label}
  }
  const whenStarted = async (count: number) => {
    while (state.started.length < count) await new Promise((resolve) => setImmediate(resolve))
  }
  return {task, state, release, whenStarted}
}

describe('runOnHosts', () => {
  it('runs at most `concurrency` hosts at once and every host in the end', async () => {
    const {task, state, release, whenStarted} = controlledTask()
    const run = runOnHosts(fakeHosts(5), task, {concurrency: 2})
    await whenStarted(2)
    expect(state.started).toEqual([1, 2])
    release.get(2)!()
    await whenStarted(3)
    expect(state.started).toEqual([1, 2, 3])
    release.get(1)!()
    await whenStarted(4)
    release.get(3)!()
    await whenStarted(5)
    release.get(4)!()
    release.get(5)!()
    const report = await run
    expect(state.peak).toBe(2)
    expect(report.hosts.map((outcome) => outcome.result)).toEqual(fakeHosts(5).map((host) => host.label))
    expect(report.exitCode).toBe(0)
  })

  it("keeps going after a failed host and exits with the worst host's code", async () => {
    const task: HostTask<string> = async (host) => {
      if (host.index === 2) throw new SshError('connection refused')
      if (host.index === 3) return {status: 'failed', exitCode: new VerifyError('').exitCode, result: 'x', detail: '1 check failed'}
      return {status: host.index === 1 ? 'changed' : 'ok', exitCode: 0, result: 'y'}
    }
    const done: number[] = []
    const report = await runOnHosts(fakeHosts(4), task, {concurrency: 8, onHostDone: (outcome) => done.push(outcome.index)})
    const statuses = report.hosts.map((outcome) => [outcome.status, outcome.exitCode])
    expect(statuses).toEqual([
      ['changed', 0],
      ['failed', 4],
      ['failed', 6],
      ['ok', 0],
    ])
    expect(report.hosts[1].error).toMatchObject({code: 'ssh', message: 'connection refused'})
    expect(report.hosts[2].detail).toBe('1 check failed')
    expect(report.exitCode).toBe(6)
    expect(report.counts).toEqual({changed: 1, ok: 1, failed: 2, interrupted: 0})
    expect(done.sort()).toEqual([1, 2, 3, 4])
  })

  it('on abort starts no further host, marks the running ones interrupted and exits 130', async () => {
    const abort = new AbortController()
    const started: number[] = []
    const task: HostTask<string> = (host, signal) => {
      started.push(host.index)
      return new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('remote command stopped')), {once: true})
      })
    }
    const run = runOnHosts(fakeHosts(5), task, {concurrency: 2, signal: abort.signal})
    while (started.length < 2) await new Promise((resolve) => setImmediate(resolve))
    abort.abort()
    const report = await run
    expect(started).toEqual([1, 2])
    expect(report.hosts.map((outcome) => outcome.status)).toEqual(Array(5).fill('interrupted'))
    expect(report.exitCode).toBe(ExitCode.interrupted)
  })
})

describe('hostProgress', () => {
  it('prints a line naming host, user id and command as a host starts, and its result, time and error as it ends', async () => {
    const log = captureStream(false)
    const task: HostTask<null> = async (host) => {
      if (host.index === 2) throw new SshError('connection refused')
      return {status: 'ok', exitCode: 0, result: null}
    }
    let clock = 0
    const progress = hostProgress(new Reporter(false, log.stream), 'doctor')
    await runOnHosts(fakeHosts(2), task, {concurrency: 1, now: () => (clock += 250), ...progress})
    expect(log.text().split('\n').filter(Boolean)).toEqual([
      '› [1] ec2-user@host1:22 (user1): doctor…',
      '✓ [1] ec2-user@host1:22 ok in 0.3s',
      '› [2] ec2-user@host2:22 (user2): doctor…',
      '✗ [2] ec2-user@host2:22 failed in 0.3s: connection refused',
    ])
  })
})

describe('renderInventorySummary', () => {
  it('prints one row per host with user id, result and time, then totals with the exit code', async () => {
    const task: HostTask<null> = async (host) =>
      host.index === 1
        ? {status: 'changed', exitCode: 0, result: null}
        : {status: 'failed', exitCode: 5, result: null, detail: 'topic failed'}
    let clock = 0
    const report = await runOnHosts(fakeHosts(2), task, {concurrency: 1, now: () => (clock += 1500)})
    const log = captureStream(false)
    renderInventorySummary(new Reporter(false, log.stream), report)
    const text = log.text()
    expect(text).toMatch(/HOST\s+USER ID\s+RESULT\s+TIME/)
    expect(text).toMatch(/ec2-user@host1:22\s+user1\s+changed\s+1\.5s/)
    expect(text).toMatch(/ec2-user@host2:22\s+user2\s+failed \(exit 5\)\s+1\.5s/)
    expect(text).toMatch(/2 host\(s\): 1 changed, 0 ok, 1 failed .*\(exit 5, the worst host's\)/)
    expect(text).toMatch(/hint: the line of each failed host above says why\n/)
  })

  it('after Ctrl-C the hint says to run the command again (and why hosts failed, when some did)', async () => {
    const hint = async (firstFails: boolean) => {
      const controller = new AbortController()
      const task: HostTask<null> = async (host) => {
        if (host.index === 1 && firstFails) return {status: 'failed', exitCode: 4, result: null, detail: 'connection refused'}
        controller.abort()
        return {status: 'changed', exitCode: 0, result: null}
      }
      const report = await runOnHosts(fakeHosts(3), task, {concurrency: 1, signal: controller.signal})
      const log = captureStream(false)
      renderInventorySummary(new Reporter(false, log.stream), report)
      return /hint: (.*)/.exec(log.text())?.[1]
    }
    expect(await hint(false)).toBe('run the same command again to finish the interrupted host(s)')
    expect(await hint(true)).toBe(
      'the line of each failed host above says why; run the same command again to finish the interrupted host(s)',
    )
  })
})

describe('per-command outcomes', () => {
  const provision = (changed: number) => ({
    host: 'h',
    dryRun: false,
    aborted: false,
    steps: [],
    changed,
    ssh: {connections: 1, execs: 3},
    warnings: [],
    durationMs: 1,
  })

  it('setup-client: changed when a step changed, ok otherwise, exit 0 either way', () => {
    expect(provisionOutcome(provision(2))).toMatchObject({status: 'changed', exitCode: 0})
    expect(provisionOutcome(provision(0))).toMatchObject({status: 'ok', exitCode: 0})
  })

  it('doctor: a failed check fails the host with exit 6 and names the checks', () => {
    const check = (name: string, status: 'ok' | 'fail') => ({layer: 'ssh' as const, name, status, detail: ''})
    expect(doctorOutcome({ok: true, checks: [check('connect', 'ok')]})).toMatchObject({status: 'ok', exitCode: 0})
    expect(doctorOutcome({ok: false, checks: [check('connect', 'fail'), check('login', 'fail')]})).toMatchObject({
      status: 'failed',
      exitCode: 6,
      detail: '2 check(s) failed: ssh/connect, ssh/login',
    })
  })

  it('topics create: created is a change, all present is ok, a failed topic is exit 5', () => {
    expect(
      topicsOutcome([
        {topic: 'a', status: 'created'},
        {topic: 'b', status: 'exists'},
      ]),
    ).toMatchObject({status: 'changed', exitCode: 0})
    expect(topicsOutcome([{topic: 'a', status: 'exists'}])).toMatchObject({status: 'ok', exitCode: 0})
    expect(
      topicsOutcome([
        {topic: 'a', status: 'failed', reason: 'x'},
        {topic: 'b', status: 'exists'},
      ]),
    ).toMatchObject({status: 'failed', exitCode: 5, detail: '1 of 2 topics could not be created'})
  })
})
