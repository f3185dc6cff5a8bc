import {execa} from 'execa'
import {beforeAll, describe, expect, it} from 'vitest'

import {PINCTL, ensureProvisioned, freePort, onHost, pinctl, sandboxEnv} from './harness.js'

const run = `${process.pid}${Date.now().toString(36)}`

const consumersOnHost = async () => Number((await onHost('pgrep -u "$(id -u)" -f [k]afka.tools.ConsoleConsumer | wc -l')).trim())

beforeAll(async () => {
  sandboxEnv()
  await ensureProvisioned()
}, 300_000)

describe('topics', () => {
  it('creates the three topics, then reports them already present (exit 0 both times)', async () => {
    const user = `t${run}`.slice(0, 20)
    const first = await pinctl(['topics', 'create', '--user', user, '--json'])
    expect(first.exitCode, String(first.stderr)).toBe(0)
    expect(JSON.parse(String(first.stdout)).topics).toEqual([
      {topic: `${user}.pin`, status: 'created'},
      {topic: `${user}.geo`, status: 'created'},
      {topic: `${user}.user`, status: 'created'},
    ])
    const second = await pinctl(['topics', 'create', '--user', user])
    expect(second.exitCode).toBe(0)
    expect(second.stderr).toContain(`${user}.pin: already present`)
    const listed = JSON.parse(String((await pinctl(['topics', 'list', '--json'])).stdout)).topics
    expect(listed).toEqual(expect.arrayContaining([`${user}.pin`, `${user}.geo`, `${user}.user`]))
    expect(listed).not.toContain('__consumer_offsets')
    const described = JSON.parse(String((await pinctl(['topics', 'describe', `${user}.geo`, '--json'])).stdout)).topics
    expect(described[0]).toMatchObject({
      topic: `${user}.geo`,
      partitionCount: 1,
      replicationFactor: 1,
      partitions: [{partition: 0, leader: 0, replicas: [0], isr: [0]}],
    })
  })

  it("--via api refuses the sandbox's 2.8.1 cluster (MSK's topic API needs 3.6+), naming the fix", async () => {
    const result = await pinctl(['topics', 'create', '--via', 'api'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(
      "MSK's topic API needs a provisioned cluster on Kafka 3.6 or newer; pinterest-msk-cluster runs Kafka 2.8.1",
    )
  })

  it('rejects a hostile topic name before reaching the host', async () => {
    const result = await pinctl(['topics', 'create', '--topic', 'x; rm -rf ~'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('invalid topic name "x; rm -rf ~"')
  })
})

describe('produce through the REST proxy, consume from the host', () => {
  it('reads back exactly the N records produced, values equal and not double-escaped', async () => {
    const topic = `${sandboxEnv().PINCTL_USER}.it${run}`
    expect((await pinctl(['topics', 'create', '--topic', topic])).exitCode).toBe(0)
    const records = Array.from({length: 5}, (_, index) => ({
      index,
      title: `pin ${index}`,
      tricky: 'tab\there "quotes" \\ ✓',
      nested: {list: [1, 2, index]},
    }))
    const produced = await pinctl(['produce', topic, '--json', '--file', '-'], {
      input: records.map((record) => JSON.stringify(record)).join('\n'),
    })
    expect(produced.exitCode, String(produced.stderr)).toBe(0)
    const outcomes = JSON.parse(String(produced.stdout)).records
    expect(outcomes.map((outcome: {ok: boolean; offset: number}) => [outcome.ok, outcome.offset])).toEqual(
      records.map((_, index) => [true, index]),
    )

    const consumed = await pinctl(['consume', topic, '--from-beginning', '--max-messages', '5', '--group', `g${run}`, '--output', 'json'])
    expect(consumed.exitCode, String(consumed.stderr)).toBe(0)
    const lines = String(consumed.stdout)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines.map((line) => line.value)).toEqual(records)
    expect(lines.map((line) => line.offset)).toEqual([0, 1, 2, 3, 4])
    expect(lines[0]).toMatchObject({topic, partition: 0, key: null, timestampType: 'CreateTime'})
    expect(consumed.stderr).toContain('5 record(s) consumed')
  })

  it("refuses a missing topic before posting (exit 2), instead of waiting for the proxy's max.block.ms", async () => {
    const topic = `${sandboxEnv().PINCTL_USER}.absent${run}`
    const result = await pinctl(['produce', topic, '--data', '{"a":1}'], {timeout: 30_000})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(
      new RegExp(`error: topic ${topic.replace('.', '\\.')} does not exist\n\\s+hint: create it with \`pinctl topics create\``),
    )
  })
})

describe('consume stops cleanly', () => {
  it('Ctrl-C stops the remote consumer (no JVM left on the host) and exits 130', async () => {
    expect(await consumersOnHost()).toBe(0)
    const child = execa(process.execPath, [PINCTL, 'consume', 'pin', '--group', `ctrlc${run}`], {reject: false, env: {NO_COLOR: '1'}})
    for (let i = 0; i < 60 && (await consumersOnHost()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await consumersOnHost()).toBe(1)
    child.kill('SIGINT')
    const result = await child
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toMatch(/the remote consumer was stopped/)
    for (let i = 0; i < 20 && (await consumersOnHost()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 250))
    expect(await consumersOnHost()).toBe(0)
  })

  it('a closed output (`| head`) stops the remote consumer: exit 0, no JVM left, no 20,000-record wait', async () => {
    const user = `h${run}`.slice(0, 20)
    expect((await pinctl(['topics', 'create', '--user', user])).exitCode).toBe(0)
    const env = sandboxEnv()
    await onHost(
      `seq 1 20000 | ~/kafka_2.12-2.8.1/bin/kafka-console-producer.sh --bootstrap-server ${env.PINCTL_BOOTSTRAP_SERVERS} ` +
        `--producer.config ~/kafka_2.12-2.8.1/bin/client.properties --topic ${user}.pin`,
    )
    const started = Date.now()
    const result = await execa(
      'sh',
      ['-c', `"${process.execPath}" "${PINCTL}" consume ${user}.pin --from-beginning --max-messages 20000 | head -n 3`],
      {reject: false, env: {NO_COLOR: '1'}},
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout.split('\n')).toEqual(['1', '2', '3'])
    expect(result.stderr).toContain('the output was closed: the remote consumer was stopped')
    expect(result.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/)
    expect(Date.now() - started).toBeLessThan(30_000)
    for (let i = 0; i < 20 && (await consumersOnHost()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 250))
    expect(await consumersOnHost()).toBe(0)
  })

  it('a missing topic is a clear error, not an endless wait', async () => {
    const result = await pinctl(['consume', `nope${run}`, '--from-beginning'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/error: topic nope\w+ does not exist\n\s+hint: create it with `pinctl topics create`/)
  })

  it('an unreachable broker fails fast with cause and fix', async () => {
    const result = await pinctl(['consume', 'pin', '--bootstrap-servers', `127.0.0.1:${await freePort()}`])
    expect(result.exitCode).toBe(5)
    expect(result.stderr).toMatch(/cannot reach the brokers 127\.0\.0\.1:\d+ from the host\n\s+hint: .*security group/)
  })
})
