import {execa, type ResultPromise} from 'execa'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {freePort, REPO, sandboxEnv} from './harness.js'

export interface ExtraSshd {
  port: number
  dir: string
  /** Cuts every open connection (kills sshd's per-connection processes); the daemon keeps listening. */
  dropConnections(): Promise<void>
  stop(): Promise<void>
}

/**
 * A second sshd for the same sandbox host user, with host keys of our choosing: tests of host-key
 * changes and dropped connections use it, so the shared sandbox sshd is never disturbed.
 */
export async function startExtraSshd(keyTypes: Array<'ed25519' | 'rsa' | 'ecdsa'>): Promise<ExtraSshd> {
  const env = sandboxEnv()
  const dir = mkdtempSync(join(tmpdir(), 'pinctl-sshd-'))
  const port = await freePort()
  const sandboxDir = env.PINCTL_SANDBOX_DIR ?? join(REPO, '.sandbox')
  const base = readFileSync(join(sandboxDir, 'host', 'sshd_config'), 'utf8')
    .split('\n')
    .filter((line) => !/^(Port|HostKey|PidFile) /.test(line))
  const keys: string[] = []
  for (const type of keyTypes) {
    const key = join(dir, `ssh_host_${type}_key`)
    await execa('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', key])
    keys.push(`HostKey ${key}`)
  }
  const config = join(dir, 'sshd_config')
  writeFileSync(config, [`Port ${port}`, ...keys, `PidFile ${join(dir, 'sshd.pid')}`, ...base].join('\n'))
  const daemon: ResultPromise = execa('/usr/sbin/sshd', ['-D', '-e', '-f', config], {reject: false, stdio: ['ignore', 'ignore', 'pipe']})
  for (let i = 0; i < 100; i++) {
    const scan = await execa('ssh-keyscan', ['-T', '2', '-p', String(port), '127.0.0.1'], {reject: false})
    if (scan.exitCode === 0 && scan.stdout) break
    if (daemon.exitCode !== undefined && daemon.exitCode !== null) throw new Error(`extra sshd exited: ${(await daemon).stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    port,
    dir,
    async dropConnections() {
      // sshd forks a monitor per connection and the monitor an unprivileged child that owns the socket:
      // every sshd below the daemon goes (the remote commands they started are left running).
      const table = (await execa('ps', ['-e', '-o', 'pid=,ppid=,comm='])).stdout
      const rows = table
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .map(([pid, ppid, comm]) => ({pid: Number(pid), ppid: Number(ppid), comm}))
      const below = new Set<number>([daemon.pid!])
      for (let grew = true; grew;) {
        grew = false
        for (const row of rows) {
          if (below.has(row.ppid) && !below.has(row.pid)) {
            below.add(row.pid)
            grew = true
          }
        }
      }
      const sessions = rows.filter((row) => row.pid !== daemon.pid && below.has(row.pid) && row.comm.startsWith('sshd'))
      for (const row of sessions) process.kill(row.pid, 'SIGKILL')
    },
    async stop() {
      await execa('pkill', ['-KILL', '-P', String(daemon.pid)], {reject: false})
      daemon.kill('SIGTERM')
      await daemon
    },
  }
}
