import {execa} from 'execa'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {awsSettings} from '../../src/aws/clients.js'
import {resolveConfig} from '../../src/config/resolve.js'
import {InterruptedError} from '../../src/errors.js'
import {resolveBootstrap} from '../../src/kafka/cluster.js'
import {KAFKA_TOOL_FUNCTIONS} from '../../src/kafka/host-tools.js'
import {provisionHost} from '../../src/provision/runner.js'
import {sshTarget} from '../../src/ssh/target.js'
import {ensureKeyFile, ensureProvisioned, eventually, onHost, PINCTL, pinctl, resetHost, sandboxEnv} from './harness.js'

/** Hashes of every file setup-client manages (the proxy's own request log excluded: the proxy writes it). */
const HASHES =
  `cd ~ && sha256sum kafka_2.12-2.8.1/bin/client.properties confluent-7.2.0/etc/kafka-rest/kafka-rest.properties .bashrc ` +
  `.pinctl/kafka-rest.env .pinctl/kafka-rest.applied kafka_2.12-2.8.1/libs/aws-msk-iam-auth-*.jar && cat .pinctl/kafka-rest.pid && find ` +
  `kafka_2.12-2.8.1 confluent-7.2.0 -newer .pinctl/kafka-rest.applied -type f | grep -v kafka-rest.log | wc -l`

interface Report {
  changed: number
  ssh: {connections: number; execs: number}
  steps: Array<{name: string; status: string; diff?: string}>
}

async function setupClient(...args: string[]) {
  const result = await pinctl(['setup-client', '--json', '--yes', ...args])
  return {result, report: JSON.parse(String(result.stdout) || '{}') as Report & {error?: {message: string; exitCode: number}}}
}

beforeAll(async () => {
  sandboxEnv()
  await ensureKeyFile()
  await resetHost()
}, 120_000)

describe('pinctl setup-client on the sandbox host', () => {
  it('provisions a fresh host and verifies it against the real broker', async () => {
    const {result, report} = await setupClient()
    expect(result.exitCode, String(result.stderr)).toBe(0)
    const status = Object.fromEntries(report.steps.map((step) => [step.name, step.status]))
    expect(status).toEqual({
      java: 'ok',
      kafka: 'changed',
      'iam-jar': 'changed',
      classpath: 'changed',
      'client-properties': 'changed',
      'iam-trust': expect.stringMatching(/changed|ok/),
      confluent: 'changed',
      'rest-properties': 'changed',
      'rest-proxy': 'changed',
      verify: 'verified',
    })
    expect(report.ssh.connections).toBe(1)
    expect(await onHost('grep -c "^export CLASSPATH=.*aws-msk-iam-auth-2.3.6-all.jar" ~/.bashrc')).toBe('1')
    expect(await onHost('curl -fsS http://127.0.0.1:8082/topics')).toMatch(/^\[/)
    // The tarball's test, doc and signature files (Apache's has them too) are left out; its sources jar, on the class path, is not.
    expect(await onHost('LC_ALL=C ls ~/kafka_2.12-2.8.1/libs | grep "^kafka_2.12-2.8.1" | tr "\\n" " "')).toBe(
      'kafka_2.12-2.8.1-sources.jar kafka_2.12-2.8.1.jar ',
    )
  })

  it('leaves a class-data archive of kafka-topics.sh that the real JVM maps (written in the background)', async () => {
    await ensureProvisioned() // a no-op after the test above; a run alone provisions (and so starts the archive)
    const archive = () => onHost('ls ~/.pinctl/cds/ 2>/dev/null | grep -c "^topics-[0-9]*\\.jsa$" || true')
    expect(await eventually(async () => (await archive()).trim() === '1', 60_000)).toBe(true)
    // The options pinctl_tool gives the tool, plus class-load logging: classes come from the archive's top layer.
    const loaded = await onHost(
      `${KAFKA_TOOL_FUNCTIONS}\npinctl_jvm topics\necho "state=$pinctl_cds_state include=$INCLUDE_TEST_JARS"\n` +
        'KAFKA_JVM_PERFORMANCE_OPTS="$KAFKA_JVM_PERFORMANCE_OPTS -Xlog:class+load=info:stdout" ' +
        '~/kafka_2.12-2.8.1/bin/kafka-topics.sh --version | grep -c "source: shared objects file (top)"',
    )
    const [state, count] = loaded.trim().split('\n')
    // libs/ holds none of the files kafka-run-class.sh leaves off: it takes every file without an egrep a jar.
    expect(state).toBe('state=use include=true')
    expect(Number(count)).toBeGreaterThan(500)
    // And nothing about the archive reaches the tool's output.
    expect(String((await pinctl(['topics', 'list'])).stdout)).not.toMatch(/warning|cds|shared/i)
  })

  it('runs the tools without the JMX agent kafka-run-class.sh starts by default (the real script and JVM)', async () => {
    await ensureProvisioned()
    const agentClasses = (prelude: string) =>
      onHost(
        `${KAFKA_TOOL_FUNCTIONS}\n${prelude}\n` +
          'KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:-} -Xlog:class+load=info:stdout" ' +
          '~/kafka_2.12-2.8.1/bin/kafka-topics.sh --version | grep -c "jdk\\.internal\\.agent\\.Agent " || true',
      )
    // Kafka's script alone: -Dcom.sun.management.jmxremote, so the JVM starts its management agent.
    expect(Number(await agentClasses(''))).toBe(1)
    expect(Number(await agentClasses('pinctl_jvm topics'))).toBe(0)
  })

  it('changes nothing on a second run (same file hashes, same proxy process)', async () => {
    const before = await onHost(HASHES)
    const {result, report} = await setupClient()
    expect(result.exitCode).toBe(0)
    expect(report.changed).toBe(0)
    expect(report.steps.filter((step) => step.status !== 'ok').map((step) => step.name)).toEqual(['verify'])
    // The host lock, the facts probe, and the verify step's one remote command.
    expect(report.ssh).toEqual({connections: 1, execs: 3})
    expect(await onHost(HASHES)).toBe(before)
  })

  it('fails verification when the REST proxy does not answer, naming the cause (exit 6), and leaves no temp file', async () => {
    // The verify script asks the proxy in the background, into a temp file it removes at exit.
    const temps = 'find /tmp -maxdepth 1 -user "$(id -un)" -name "tmp.*" 2>/dev/null | wc -l'
    const before = await onHost(temps)
    expect((await pinctl(['rest-proxy', 'stop'])).exitCode).toBe(0)
    try {
      const {result, report} = await setupClient('--only', 'verify')
      expect(result.exitCode).toBe(6)
      expect(report.error?.message).toMatch(/the REST proxy did not answer GET :8082\/topics: curl: \(7\)/)
      expect(report.error?.message).not.toMatch(/kafka-topics\.sh --list failed/)
      expect(await onHost(temps)).toBe(before)
    } finally {
      expect((await pinctl(['rest-proxy', 'start'])).exitCode).toBe(0)
    }
  })

  it('detects a hand-edited client.properties with --diff, and restores it keeping a .bak', async () => {
    await onHost("sed -i 's/^security.protocol=.*/security.protocol=SASL_SSL/' ~/kafka_2.12-2.8.1/bin/client.properties")
    const dry = await pinctl(['setup-client', '--dry-run', '--diff'])
    expect(dry.exitCode).toBe(0)
    expect(dry.stderr).toMatch(/~ client-properties +update .*client.properties \(differs/)
    expect(dry.stderr).toMatch(/-security.protocol=SASL_SSL\n\s+\+security.protocol=PLAINTEXT/)
    expect(await onHost('grep security.protocol ~/kafka_2.12-2.8.1/bin/client.properties')).toBe('security.protocol=SASL_SSL')

    const {result, report} = await setupClient('--only', 'client-properties,verify')
    expect(result.exitCode).toBe(0)
    expect(report.steps.find((step) => step.name === 'client-properties')?.status).toBe('changed')
    expect(await onHost('grep security.protocol ~/kafka_2.12-2.8.1/bin/client.properties')).toBe('security.protocol=PLAINTEXT')
    expect(await onHost('grep security.protocol ~/kafka_2.12-2.8.1/bin/client.properties.bak')).toBe('security.protocol=SASL_SSL')
  })

  it('stops on a checksum mismatch, installs nothing and leaves no partial directory', async () => {
    await onHost('rm -rf ~/kafka_2.12-2.8.1')
    const bad = join(mkdtempSync(join(tmpdir(), 'pinctl-art-')), 'artifacts.json')
    writeFileSync(bad, JSON.stringify({'/dist/kafka/2.8.1/kafka_2.12-2.8.1.tgz': '0'.repeat(128)}))
    const failed = await pinctl(['setup-client', '--yes', '--only', 'kafka'], {env: {PINCTL_ARTIFACTS_FILE: bad, NO_COLOR: '1'}})
    expect(failed.exitCode).toBe(6)
    expect(failed.stderr).toMatch(
      /step kafka: the download's SHA-512 does not match \(expected 0000000000000000…, got [0-9a-f]{16}…\); nothing was installed/,
    )
    expect(await onHost('ls -d ~/kafka_2.12-2.8.1 ~/.pinctl-download.* 2>/dev/null | wc -l')).toBe('0')
    // …and the next run continues from there with the right checksum.
    const resumed = await setupClient()
    expect(resumed.result.exitCode).toBe(0)
    expect(resumed.report.steps.find((step) => step.name === 'kafka')?.status).toBe('changed')
  })

  it('stops between steps on Ctrl-C (the abort signal), changing nothing more', async () => {
    await onHost('rm -f ~/kafka_2.12-2.8.1/bin/client.properties')
    const config = resolveConfig()
    const error = await provisionHost({
      target: sshTarget(config),
      aws: awsSettings(config),
      userId: config.userId!,
      roleName: config.roleName!,
      auth: config.auth,
      restProxyPort: config.restProxyPort,
      bootstrapServers: () => resolveBootstrap(config),
      artifacts: {mirror: config.mirror, artifactsFile: config.artifactsFile},
      dryRun: false,
      signal: AbortSignal.abort(),
    }).catch((e) => e)
    expect(error).toBeInstanceOf(InterruptedError)
    expect(error.message).toMatch(/^interrupted before step java; every finished step is complete/)
    expect(await onHost('ls ~/kafka_2.12-2.8.1/bin/client.properties 2>/dev/null | wc -l')).toBe('0')
    const resumed = await setupClient()
    expect(resumed.report.steps.find((step) => step.name === 'client-properties')?.status).toBe('changed')
  })

  it('asks on a terminal: "n" changes nothing, Ctrl-C at the prompt is an interruption (130)', async () => {
    await onHost('rm -f ~/kafka_2.12-2.8.1/bin/client.properties')
    // script(1) gives setup-client a terminal; the answer is typed once the question is on screen.
    const answer = async (keys: string) => {
      const child = execa('script', ['-qec', `${process.execPath} ${PINCTL} setup-client`, '/dev/null'], {
        reject: false,
        timeout: 120_000,
        env: {NO_COLOR: '1'},
        stdin: 'pipe',
      })
      let screen = ''
      child.stdout!.on('data', (chunk: Buffer) => {
        screen += chunk.toString()
        if (screen.includes('Apply these changes?') && keys) {
          child.stdin!.write(keys)
          keys = ''
        }
      })
      const result = await child
      return {exitCode: result.exitCode, screen}
    }
    const declined = await answer('n\r')
    expect(declined.exitCode).toBe(0)
    expect(declined.screen).toContain('not confirmed: nothing was changed')
    const interrupted = await answer('\u0003')
    expect(interrupted.exitCode).toBe(130)
    expect(interrupted.screen).toMatch(/error: interrupted/)
    expect(await onHost('ls ~/kafka_2.12-2.8.1/bin/client.properties 2>/dev/null | wc -l')).toBe('0')
    expect((await setupClient()).result.exitCode).toBe(0)
  })

  it('refuses unknown step names before connecting', async () => {
    const result = await pinctl(['setup-client', '--only', 'kafka,nope'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('unknown step nope in --only')
  })
})
