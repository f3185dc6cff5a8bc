import {execa} from 'execa'
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {REPO} from './harness.js'

/**
 * `up` twice and `down`, on a second sandbox beside the main one: its own directory and ports, and
 * only the parts that own no machine-wide user (no 20-host, whose ec2-user the main sandbox uses).
 */
const dir = join(mkdtempSync(join(tmpdir(), 'pinctl-life-')), 'sandbox')
const env = {PINCTL_SANDBOX_DIR: dir, PINCTL_SANDBOX_PARTS: '10-moto 30-kafka 40-mirror'}
const sandbox = (action: string) => execa(join(REPO, 'scripts', 'sandbox'), [action], {env, reject: false, timeout: 240_000})

function pids(): Record<string, number> {
  const run = join(dir, 'run')
  return Object.fromEntries(
    readdirSync(run)
      .filter((file) => file.endsWith('.pid'))
      .map((file) => [file, Number(readFileSync(join(run, file), 'utf8'))]),
  )
}

function ports(): number[] {
  return readFileSync(join(dir, 'ports.env'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.split('=')[1]))
}

/** Running, not just present: this machine's init reaps orphans late, and a zombie runs nothing. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({host: '127.0.0.1', port})
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })

afterAll(async () => {
  if (existsSync(dir)) await sandbox('down')
})

describe('scripts/sandbox up / down', () => {
  let before: Record<string, number>
  let used: number[]

  it('brings the parts up, and a second up is a no-op (same processes)', async () => {
    const first = await sandbox('up')
    expect(first.exitCode, String(first.stderr)).toBe(0)
    before = pids()
    used = ports()
    expect(Object.keys(before).sort()).toEqual(['kafka.pid', 'mirror.pid', 'moto.pid', 'zookeeper.pid'])
    expect(Object.values(before).every(alive)).toBe(true)

    const second = await sandbox('up')
    expect(second.exitCode).toBe(0)
    expect(`${second.stdout}${second.stderr}`.match(/already running/g)?.length).toBe(4)
    expect(pids()).toEqual(before)
    expect((await sandbox('status')).exitCode).toBe(0)
  })

  it('down stops every process it started, leaves no port open and removes its state', async () => {
    const down = await sandbox('down')
    expect(down.exitCode, String(down.stderr)).toBe(0)
    expect(Object.values(before).filter(alive)).toEqual([])
    const open = []
    for (const port of used) if (await accepts(port)) open.push(port)
    expect(open).toEqual([])
    expect(existsSync(dir)).toBe(false)
    expect((await sandbox('status')).exitCode).toBe(1)
  })
})
