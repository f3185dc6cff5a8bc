import {describe, expect, it} from 'vitest'

import {runCli} from './run-cli.js'

const LONG_TOPIC = 'x'.repeat(10_000)

/** [command line, what the one-line message must say]: every one is the user's mistake, exit 2. */
const BAD_VALUES: Array<[string[], RegExp]> = [
  [['topics', 'create', '--partitions', '0'], /^error: --partitions: Expected an integer greater than or equal to 1 but received: 0$/m],
  [['topics', 'create', '--partitions', 'abc'], /--partitions: Expected an integer but received: abc/],
  [['topics', 'create', '--replication-factor', '-1'], /--replication-factor: Expected an integer greater than or equal to 1/],
  [['consume', 'pin', '--timeout', 'abc'], /--timeout: "abc" is not a duration \(e\.g\. 30, 30s, 5m, 1h\)/],
  [['consume', 'pin', '--timeout', '-5m'], /--timeout: "-5m" is not a duration/],
  [['consume', 'pin', '--timeout', '0'], /--timeout: "0" is not a duration: it must be more than 0/],
  [['connector', 'status', '--interval', 'soon'], /--interval: "soon" is not a duration/],
  [['connector', 'create', '--timeout', '5x'], /--timeout: "5x" is not a duration/],
  [['consume', 'pin', '--offset', '3'], /--partition/],
  [['consume', 'pin', '--partition', '0', '--offset', 'soon'], /--offset: "soon" is not beginning, end or an offset number/],
  [['consume', 'pin', '--partition', '-1'], /--partition: Expected an integer greater than or equal to 0/],
  [['consume', 'pin', '--partition', '0', '--group', 'g'], /--partition=0 cannot also be provided when using --group/],
  [['consume', 'pin', '--output', 'xml'], /--output=xml to be one of: raw, json, pretty/],
  [['consume'], /missing argument: TOPIC \(pin, geo, user, or a full topic name\)/],
  [['produce', 'pin', '--data', '{}', '--file', 'x'], /--file=x cannot also be provided when using --data/],
  [
    ['produce', 'pin', '--user', 'abcdef123', '--invoke-url', 'notaurl', '--data', '{}'],
    /^error: invalid --invoke-url "notaurl": must be an http\(s\) URL$/m,
  ],
  [
    ['produce', 'pin', '--user', 'abcdef123', '--invoke-url', 'file:///etc/passwd', '--data', '{}'],
    /invalid --invoke-url "file:\/\/\/etc\/passwd": must be an http\(s\) URL/,
  ],
  [
    ['emulate', '--user', 'abcdef123', '--invoke-url', 'javascript:alert(1)'],
    /invalid --invoke-url "javascript:alert\(1\)": must be an http\(s\) URL/,
  ],
  [['produce', 'pin', '--partition', 'x', '--data', '{}'], /--partition: Expected an integer but received: x/],
  [['emulate', '--rate', '0'], /--rate: Expected an integer greater than or equal to 1/],
  [['setup-client', '--only', 'java', '--skip', 'java'], /--only and --skip both name java/],
  [['setup-client', '--only', 'nope'], /unknown step nope in --only/],
  [['setup-client', '--ssh-port', '70000'], /--ssh-port: Expected an integer less than or equal to 65535/],
  [['setup-client', '--auth', 'kerberos'], /--auth=kerberos to be one of: iam, plaintext/],
  [['rest-proxy', 'logs', '--lines', '0'], /--lines: Expected an integer greater than or equal to 1/],
  [['api', 'wire', '--rest-proxy-port', '0'], /--rest-proxy-port: Expected an integer greater than or equal to 1/],
  [['doctor', '--nope'], /Nonexistent flag: --nope/],
  [['init', '--yes', '--host', 'h.example', '--instance', 'i-0abc'], /^error: --host and --instance both name the client$/m],
  [['topics', 'create', '--user', 'BAD_USER'], /^error: invalid --user: must be 3 to 32 characters/m],
  [['topics', 'create', '--region', 'mars'], /^error: invalid --region: must be an AWS region such as us-east-1$/m],
  [['topics', 'create'], /^error: no user id: pass --user, set PINCTL_USER or run `pinctl init`$/m],
  [['setup-client'], /^error: no user id: pass --user, set PINCTL_USER or run `pinctl init`$/m],
  [
    ['rest-proxy', 'status', '--user', 'abcdef123', '--host', '127.0.0.1', '--key-file', '/tmp'],
    /^error: key file \/tmp is a directory, not a private key$/m,
  ],
  [['topics', 'create', '--user', 'abcdef123', '--host', 'h', '--topic', LONG_TOPIC], /invalid topic name "x{99}… \(10000 characters\)"/],
  [
    ['topics', 'create', '--partitions', LONG_TOPIC],
    /^error: --partitions: Expected an integer but received: x{59}… \(10000 characters\)$/m,
  ],
]

describe('a bad value on the command line: one line with the reason, a hint, exit 2', () => {
  // A 10,000-character argument is shown by its length in the test's name.
  const cases = BAD_VALUES.map(
    ([args, reason]) => [args.map((arg) => (arg.length > 60 ? `<${arg.length} characters>` : arg)).join(' '), args, reason] as const,
  )
  it.each(cases)('pinctl %s', async (_name, args, reason) => {
    const result = await runCli(args)
    expect(result.exitCode, result.stderr).toBe(2)
    expect(result.stderr).toMatch(reason)
    const lines = result.stderr.trim().split('\n')
    expect(lines[0]).toMatch(/^error: /)
    expect(lines.slice(1).every((line) => line.startsWith('  hint: '))).toBe(true)
    expect(result.stderr.length).toBeLessThan(1000)
    expect(result.stdout).toBe('')
  })

  it('has at least 20 cases', () => {
    expect(BAD_VALUES.length).toBeGreaterThanOrEqual(20)
  })

  it('under --json the same error is one document on stdout', async () => {
    const result = await runCli(['topics', 'create', '--partitions', '0', '--json'])
    expect(result.exitCode).toBe(2)
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'usage',
        exitCode: 2,
        message: '--partitions: Expected an integer greater than or equal to 1 but received: 0',
        hint: '`pinctl topics create --help` shows the flags, arguments and examples',
      },
    })
  })

  it("a bad value that oclif read from a flag's variable names the variable, not only the flag", async () => {
    const result = await runCli(['ssh', '--', 'true'], {env: {PINCTL_SSH_PORT: 'abc'}})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/^error: PINCTL_SSH_PORT \(--ssh-port\): Expected an integer but received: abc$/m)
    const typed = await runCli(['ssh', '--ssh-port', 'abc', '--', 'true'], {env: {PINCTL_SSH_PORT: '22'}})
    expect(typed.stderr).toMatch(/^error: --ssh-port: Expected an integer but received: abc$/m)
  })

  it('a bad value in an environment variable names the variable', async () => {
    const result = await runCli(['topics', 'create'], {env: {PINCTL_USER: 'Not Valid'}})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/^error: invalid PINCTL_USER: must be 3 to 32 characters/m)
  })
})
