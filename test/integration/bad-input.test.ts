import {execa} from 'execa'
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {ensureProvisioned, freePort, onHost, pinctl, sandboxEnv} from './harness.js'

/** Every file setup-client manages, and the REST proxy's pid: what no bad input may change. */
const MANAGED =
  `cd ~ && sha256sum kafka_2.12-2.8.1/bin/client.properties confluent-7.2.0/etc/kafka-rest/kafka-rest.properties .bashrc ` +
  `.pinctl/kafka-rest.env .pinctl/kafka-rest.applied kafka_2.12-2.8.1/libs/aws-msk-iam-auth-*.jar && cat .pinctl/kafka-rest.pid`

interface Case {
  args: string[]
  env?: Record<string, string>
  exit: number
  /** The reason, as the one error line must say it. */
  says: RegExp
}

const dir = mkdtempSync(join(tmpdir(), 'pinctl-badin-'))
const file = (name: string, content: string, mode = 0o600) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  chmodSync(path, mode)
  return path
}

async function cases(): Promise<Array<[string, Case]>> {
  const closed = String(await freePort())
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'wrong.pem')])
  const long = 'x'.repeat(10_000)
  const table: Case[] = [
    // ids and names
    {args: ['topics', 'create', '--user', 'bad user!'], exit: 2, says: /invalid --user/},
    {args: ['topics', 'create', '--user', ''], exit: 2, says: /invalid --user/},
    {args: ['topics', 'create', '--user', long], exit: 2, says: /invalid --user/},
    {args: ['topics', 'create', '--user', 'Ab$(id)'], exit: 2, says: /invalid --user/},
    {args: ['topics', 'describe', 'bad topic'], exit: 2, says: /invalid topic name "bad topic"/},
    {args: ['consume', 'a/b'], exit: 2, says: /invalid topic name "a\/b"/},
    {args: ['consume', '..'], exit: 2, says: /invalid topic name/},
    {args: ['consume', `t;touch /tmp/pwned`], exit: 2, says: /invalid topic name/},
    {args: ['produce', long, '--data', '{}'], exit: 2, says: /invalid topic name/},
    {args: ['consume', 'pin', '--group', ''], exit: 2, says: /consumer group cannot be empty/},
    // numbers, durations, choices
    {args: ['topics', 'create', '--partitions', '0'], exit: 2, says: /--partitions/},
    {args: ['topics', 'create', '--partitions', 'abc'], exit: 2, says: /--partitions/},
    {args: ['topics', 'create', '--replication-factor', '-1'], exit: 2, says: /--replication-factor/},
    {args: ['consume', 'pin', '--max-messages', '0'], exit: 2, says: /--max-messages/},
    {args: ['consume', 'pin', '--timeout', '-5'], exit: 2, says: /--timeout/},
    {args: ['consume', 'pin', '--output', 'xml'], exit: 2, says: /--output/},
    {args: ['setup-client', '--lock-timeout', 'soon'], exit: 2, says: /--lock-timeout/},
    {args: ['setup-client', '--auth', 'nope'], exit: 2, says: /--auth/},
    {args: ['setup-client', '--only', 'nosuch'], exit: 2, says: /unknown step nosuch in --only/},
    {args: ['connector', 'status', '--interval', 'soon'], exit: 2, says: /--interval/},
    {args: ['connector', 'create', '--timeout', '-5m'], exit: 2, says: /--timeout/},
    {args: ['emulate', '--rate', '0'], exit: 2, says: /--rate/},
    {args: ['emulate', '--count', '-1'], exit: 2, says: /--count/},
    // URLs, hosts, ports
    {args: ['setup-client', '--dry-run', '--mirror', 'not a url'], exit: 2, says: /invalid --mirror/},
    {args: ['setup-client', '--dry-run', '--mirror', 'ftp://x'], exit: 2, says: /invalid --mirror/},
    {args: ['setup-client', '--dry-run', '--bootstrap-servers', 'nohostport'], exit: 2, says: /invalid --bootstrap-servers/},
    {args: ['setup-client', '--dry-run', '--bootstrap-servers', '1.2.3.4:99999'], exit: 2, says: /invalid --bootstrap-servers.*1 to 65535/},
    {args: ['setup-client', '--dry-run', '--bootstrap-servers', 'a:1;touch /tmp/pwned'], exit: 2, says: /invalid --bootstrap-servers/},
    {args: ['produce', 'pin', '--data', '{}', '--invoke-url', 'notaurl'], exit: 2, says: /invalid --invoke-url "notaurl"/},
    {args: ['produce', 'pin', '--data', '{}', '--invoke-url', 'file:///etc/passwd'], exit: 2, says: /invalid --invoke-url/},
    {args: ['ssh', '--ssh-port', '0', '--', 'true'], exit: 2, says: /--ssh-port: .*greater than or equal to 1/},
    {args: ['ssh', '--ssh-port', '70000', '--', 'true'], exit: 2, says: /--ssh-port: .*less than or equal to 65535/},
    {args: ['ssh', '--ssh-port', 'abc', '--', 'true'], exit: 2, says: /--ssh-port/},
    {args: ['ssh', '--host', 'bad host name', '--', 'true'], exit: 2, says: /invalid --host/},
    {args: ['ssh', '--host', 'nonexistent.invalid', '--', 'true'], exit: 4, says: /cannot resolve host nonexistent\.invalid/},
    {args: ['ssh', '--ssh-port', closed, '--', 'true'], exit: 4, says: /connection refused/},
    {args: ['setup-client', '--yes', '--ssh-port', closed], exit: 4, says: /connection refused/},
    // users and keys
    {args: ['ssh', '--ssh-user', 'nosuchuser', '--', 'true'], exit: 4, says: /refused the key .* for user nosuchuser/},
    {args: ['ssh', '--key-file', join(dir, 'wrong.pem'), '--', 'true'], exit: 4, says: /refused the key/},
    {args: ['setup-client', '--yes', '--key-file', join(dir, 'wrong.pem')], exit: 4, says: /refused the key/},
    {args: ['ssh', '--key-file', '/nonexistent.pem', '--', 'true'], exit: 2, says: /key file \/nonexistent\.pem not found/},
    {args: ['ssh', '--key-file', dir, '--', 'true'], exit: 2, says: /is a directory/},
    {args: ['ssh', '--key-file', file('open.pem', 'x', 0o644), '--', 'true'], exit: 2, says: /readable by others/},
    {args: ['keypair', 'fetch', '--key-pair', 'no such key'], exit: 2, says: /key pair "no such key" does not exist/},
    // files and config files
    {args: ['produce', 'pin', '--data', '{bad'], exit: 2, says: /--data is not JSON/},
    {args: ['produce', 'pin', '--file', '/nonexistent.jsonl'], exit: 2, says: /cannot read \/nonexistent\.jsonl/},
    {args: ['produce', 'pin', '--file', dir], exit: 2, says: /cannot read/},
    {args: ['ssh', '--config', file('bad.json', '{bad json'), '--', 'true'], exit: 2, says: /is not valid JSON/},
    {args: ['ssh', '--config', file('unknown.json', '{"nope": 1}'), '--', 'true'], exit: 2, says: /unknown setting "nope" in config file/},
    {args: ['ssh', '--config', file('type.json', '{"sshPort": "abc"}'), '--', 'true'], exit: 2, says: /invalid sshPort/},
    {args: ['ssh', '--config', file('array.json', '[]'), '--', 'true'], exit: 2, says: /must hold a JSON object/},
    {args: ['ssh', '--config', '/nonexistent.json', '--', 'true'], exit: 2, says: /cannot read config file/},
    {
      args: ['ssh', '--', 'true'],
      env: {PINCTL_SSH_PORT: 'abc'},
      exit: 2,
      says: /PINCTL_SSH_PORT \(--ssh-port\): Expected an integer but received: abc/,
    },
    {args: ['topics', 'list'], env: {PINCTL_REGION: 'us east'}, exit: 2, says: /invalid PINCTL_REGION/},
    {
      args: ['setup-client', '--dry-run'],
      env: {PINCTL_ARTIFACTS_FILE: file('artifacts.json', '{not json')},
      exit: 2,
      says: /artifacts file/,
    },
  ]
  return table.map((entry) => [`${entry.args.join(' ').slice(0, 70)}${entry.env ? ` (${Object.keys(entry.env).join(',')})` : ''}`, entry])
}

let table: Array<[string, Case]> = []

beforeAll(async () => {
  sandboxEnv()
  await ensureProvisioned()
  table = await cases()
}, 300_000)

describe('bad input across commands: the documented exit code, one line and a hint, no stack trace, the host unchanged', () => {
  it('holds for every input of the table', async () => {
    expect(table.length).toBeGreaterThanOrEqual(40)
    const before = await onHost(MANAGED)
    const failures: string[] = []
    // Four at a time: the table is long, and most inputs never reach the host.
    for (let i = 0; i < table.length; i += 4) {
      await Promise.all(
        table.slice(i, i + 4).map(async ([name, entry]) => {
          const result = await pinctl(entry.args, {env: {NO_COLOR: '1', ...entry.env}, timeout: 60_000})
          const stderr = String(result.stderr)
          const lines = stderr.split('\n').filter((line) => line.trim() !== '')
          const errorLines = lines.filter((line) => line.startsWith('error: '))
          const problems = [
            result.exitCode === entry.exit ? '' : `exit ${result.exitCode}, expected ${entry.exit}`,
            errorLines.length === 1 ? '' : `${errorLines.length} error lines`,
            entry.says.test(errorLines[0] ?? '') ? '' : `error line does not match ${entry.says}`,
            lines.some((line) => /^\s+hint: \S/.test(line)) ? '' : 'no hint',
            /^\s+at .*:\d+:\d+\)?$/m.test(stderr) ? 'stack trace' : '',
            /undefined|\[object Object\]/.test(stderr) ? 'prints undefined' : '',
            (errorLines[0] ?? '').length <= 400 ? '' : 'error line over 400 characters',
          ].filter(Boolean)
          if (problems.length > 0) failures.push(`${name}: ${problems.join('; ')}\n    ${lines.slice(0, 3).join('\n    ')}`)
        }),
      )
    }
    expect(failures, failures.join('\n')).toEqual([])
    expect(await onHost(MANAGED)).toBe(before)
    expect((await onHost('ls /tmp/pwned 2>/dev/null | wc -l')).trim()).toBe('0')
  }, 600_000)
})
