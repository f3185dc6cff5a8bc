import {execa} from 'execa'
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {SshError, RemoteCommandError} from '../../src/errors.js'
import {SshSession} from '../../src/ssh/session.js'
import {ensureKeyFile, eventually, freePort, PINCTL, pinctl, sandboxEnv, sshTargetFromEnv} from './harness.js'

function freshKnownHosts(): string {
  return join(mkdtempSync(join(tmpdir(), 'pinctl-kh-')), 'known_hosts')
}

beforeAll(async () => {
  sandboxEnv()
  await ensureKeyFile()
})

describe('pinctl keypair fetch (moto Parameter Store)', () => {
  it('wrote a 0400 key file that logs in to the sandbox sshd, and never printed the key', async () => {
    const {PINCTL_KEY_FILE} = sandboxEnv()
    expect(statSync(PINCTL_KEY_FILE).mode & 0o777).toBe(0o400)
    expect(readFileSync(PINCTL_KEY_FILE, 'utf8')).toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/)
    const again = await pinctl(['keypair', 'fetch', '--json'])
    expect(again.exitCode).toBe(0)
    expect(JSON.parse(String(again.stdout))).toMatchObject({status: 'unchanged', keyFile: PINCTL_KEY_FILE})
    expect(`${again.stdout}${again.stderr}`).not.toMatch(/PRIVATE KEY/)
    const login = await pinctl(['ssh', '--', 'id', '-un'])
    expect(login.exitCode).toBe(0)
    expect(String(login.stdout).trim()).toBe(sandboxEnv().PINCTL_SSH_USER)
  })

  it('fails clearly for a key pair that does not exist', async () => {
    const result = await pinctl(['keypair', 'fetch', '--key-pair', 'no-such-pair', '--key-file', join(tmpdir(), 'never.pem')])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('key pair "no-such-pair" does not exist')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})

describe('SshSession against the sandbox sshd', () => {
  it('returns exit codes without throwing, and stderr output is not failure', async () => {
    const session = await SshSession.open(sshTargetFromEnv())
    try {
      expect((await session.exec('exit 3')).code).toBe(3)
      const noisy = await session.exec('echo warning >&2; echo fine')
      expect(noisy).toMatchObject({code: 0, stdout: 'fine\n', stderr: 'warning\n'})
      await expect(session.run('echo oops >&2; exit 9', 'the probe')).rejects.toBeInstanceOf(RemoteCommandError)
      await expect(session.run('echo oops >&2; exit 9', 'the probe')).rejects.toThrow(/the probe failed .*exit 9.*\n.*oops/s)
      expect(session.stats.connections).toBe(1)
    } finally {
      await session.dispose()
    }
  })

  it('streams output as it comes and stops the remote process group on abort', async () => {
    const session = await SshSession.open(sshTargetFromEnv())
    try {
      const chunks: string[] = []
      const done = await session.stream('for i in 1 2 3; do echo "line $i"; sleep 0.1; done; echo err >&2', {
        onStdout: (chunk) => void chunks.push(chunk.toString()),
      })
      expect(done.code).toBe(0)
      expect(chunks.join('')).toBe('line 1\nline 2\nline 3\n')

      const marker = `pinctl-abort-${process.pid}-${Date.now()}`
      const controller = new AbortController()
      const running = session.stream(`sh -c 'sleep 300; echo never' ${marker} & wait`, {signal: controller.signal, graceMs: 3000})
      const found = async () => (await session.exec(`pgrep -f ${marker}`)).code === 0
      expect(await eventually(found)).toBe(true)
      controller.abort()
      const stopped = await running
      expect(stopped.interrupted).toBe(true)
      expect(await eventually(async () => !(await found()))).toBe(true)
    } finally {
      await session.dispose()
    }
  })

  it('writes files atomically, keeps a .bak of a differing file, and leaves no temp file on failure', async () => {
    const session = await SshSession.open(sshTargetFromEnv())
    const dir = `/tmp/pinctl-write-${process.pid}-${Date.now()}`
    try {
      const path = `${dir}/sub/client.properties`
      expect(await session.writeFile(path, 'a=1\n', {mode: '0600'})).toEqual({changed: true})
      expect(await session.writeFile(path, 'a=1\n', {mode: '0600'})).toEqual({changed: false})
      expect(await session.writeFile(path, 'a=2\n', {backup: true})).toEqual({changed: true})
      expect((await session.exec(`cat ${path}; echo ---; cat ${path}.bak; stat -c %a ${path}`)).stdout).toBe('a=2\n---\na=1\n644\n')
      await expect(session.writeFile('/root/pinctl-denied/x', 'nope')).rejects.toBeInstanceOf(RemoteCommandError)
      expect((await session.exec(`find ${dir} /root -maxdepth 3 -name '.pinctl-tmp.*' 2>/dev/null | wc -l`)).stdout.trim()).toBe('0')
    } finally {
      await session.exec(`rm -rf ${dir}`)
      await session.dispose()
    }
  })

  it('trusts a new host on first use, then refuses a changed key', async () => {
    const knownHostsFile = freshKnownHosts()
    const notes: string[] = []
    const first = await SshSession.open(sshTargetFromEnv({knownHostsFile}), (note) => notes.push(note))
    await first.dispose()
    expect(notes.join('\n')).toMatch(/trusted new host key .*SHA256:/)
    const recorded = readFileSync(knownHostsFile, 'utf8')
    expect(recorded.trim().split('\n')).toHaveLength(1)

    const second = await SshSession.open(sshTargetFromEnv({knownHostsFile}))
    await second.dispose()
    expect(readFileSync(knownHostsFile, 'utf8')).toBe(recorded)

    // Same host and key type, other key: what a man-in-the-middle looks like.
    const [hosts, type, key] = recorded.trim().split(' ')
    const forged = Buffer.from(key, 'base64')
    forged[forged.length - 1] ^= 0xff
    writeFileSync(knownHostsFile, `${hosts} ${type} ${forged.toString('base64')}\n`)
    const error = await SshSession.open(sshTargetFromEnv({knownHostsFile})).catch((e) => e)
    expect(error).toBeInstanceOf(SshError)
    expect(error.message).toMatch(/does not match .*known_hosts:1.*refusing to connect/)
    expect(error.hint).toMatch(/ssh-keygen -R/)
  })

  it('reports a closed port as a clear SSH error', async () => {
    const error = await SshSession.open({...sshTargetFromEnv(), port: await freePort()}).catch((e) => e)
    expect(error).toBeInstanceOf(SshError)
    expect(error.message).toMatch(/connection refused/)
  })
})

describe('pinctl ssh', () => {
  it('runs one command and passes its exit code through', async () => {
    const uname = await pinctl(['ssh', '--', 'uname', '-a'])
    expect(uname.exitCode).toBe(0)
    expect(uname.stdout).toMatch(/^Linux /)
    expect((await pinctl(['ssh', '--', 'exit 7'])).exitCode).toBe(7)
    const json = await pinctl(['ssh', '--json', '--', 'echo out; echo err >&2; exit 2'])
    expect(JSON.parse(String(json.stdout))).toMatchObject({exitCode: 2, stdout: 'out\n', stderr: 'err\n'})
    expect(json.exitCode).toBe(2)
  })

  it('exits 4 with cause and fix when the host is unreachable', async () => {
    const result = await pinctl(['ssh', '--ssh-port', String(await freePort()), '--', 'true'])
    expect(result.exitCode).toBe(4)
    expect(result.stderr).toMatch(/error: cannot connect to .*connection refused\n\s+hint: /)
  })

  it('opens an interactive shell on a terminal (system ssh, strict host key checking) and passes its exit code', async () => {
    // script(1) gives pinctl a pseudo-terminal, as an operator's terminal would.
    const result = await execa('script', ['-qec', `${process.execPath} ${PINCTL} ssh`, '/dev/null'], {
      input: 'echo INTERACTIVE-$((6*7)); tty; exit 3\n',
      reject: false,
      timeout: 60_000,
      env: {NO_COLOR: '1'},
    })
    expect(result.stdout).toContain('INTERACTIVE-42')
    expect(result.stdout).toMatch(/\/dev\/pts\/\d+/)
    expect(result.exitCode).toBe(3)
  })

  it('refuses an interactive shell without a terminal', async () => {
    const result = await pinctl(['ssh'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/needs a terminal/)
  })
})
