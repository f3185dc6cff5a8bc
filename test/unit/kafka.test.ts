import {execFile} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {describe, expect, it} from 'vitest'

import {
  consumeScript,
  MissingTopicWatch,
  runConsumer,
  FIELD_SEPARATOR as F,
  formatRecord,
  parseValue,
  RECORD_SEPARATOR as R,
  RecordSplitter,
  type ConsumedRecord,
} from '../../src/kafka/consume.js'
import {checkTopicName, topicFor} from '../../src/kafka/host-tools.js'
import {generateRecords, randomSource} from '../../src/kafka/records.js'
import {parseRecordsInput} from '../../src/kafka/records-input.js'
import {parseProduceAnswer} from '../../src/kafka/rest-proxy.js'
import {createTopicsScript, parseCreateTopics, parseDescribe, topicFailureReason} from '../../src/kafka/topics.js'
import {RemoteCommandError} from '../../src/errors.js'
import type {HostSession} from '../../src/ssh/session.js'

const execFileAsync = promisify(execFile)

describe('consumer output', () => {
  const raw = (value: string, key = 'null') => `CreateTime:1700000000000${F}Partition:2${F}Offset:41${F}${key}${F}${value}${R}`

  it('splits records across chunk boundaries and keeps values with tabs and newlines whole', () => {
    const records: ConsumedRecord[] = []
    const splitter = new RecordSplitter('u.pin')
    const stream = raw('{"a":"tab\\there","b":"x\\ny"}') + raw('plain text\twith tab\nand newline', '"k1"')
    for (let i = 0; i < stream.length; i += 7) records.push(...splitter.push(Buffer.from(stream.slice(i, i + 7))))
    expect(records).toEqual([
      {
        topic: 'u.pin',
        partition: 2,
        offset: 41,
        timestamp: 1700000000000,
        timestampType: 'CreateTime',
        key: null,
        value: {a: 'tab\there', b: 'x\ny'},
      },
      {
        topic: 'u.pin',
        partition: 2,
        offset: 41,
        timestamp: 1700000000000,
        timestampType: 'CreateTime',
        key: 'k1',
        value: 'plain text\twith tab\nand newline',
      },
    ])
  })

  it('keeps a UTF-8 character whole when a chunk boundary cuts its bytes', () => {
    const records: ConsumedRecord[] = []
    const splitter = new RecordSplitter('u.pin')
    const bytes = Buffer.from(raw('{"title":"café ✓ 😀"}'), 'utf8')
    for (let i = 0; i < bytes.length; i += 3) records.push(...splitter.push(bytes.subarray(i, i + 3)))
    expect(records.map((record) => record.value)).toEqual([{title: 'café ✓ 😀'}])
  })

  it('parses JSON values once (never double-escaped) and leaves other text alone', () => {
    expect(parseValue('{"title":"\\"quoted\\""}')).toEqual({title: '"quoted"'})
    expect(parseValue('"a string"')).toBe('a string')
    expect(parseValue('{not json')).toBe('{not json')
    expect(parseValue('42')).toBe('42')
    expect(parseValue('null')).toBeNull()
  })

  it('formats json, raw and pretty', () => {
    const record: ConsumedRecord = {
      topic: 't',
      partition: 0,
      offset: 5,
      timestamp: 0,
      timestampType: 'CreateTime',
      key: null,
      value: {a: 1},
    }
    expect(JSON.parse(formatRecord(record, 'json'))).toEqual(record)
    expect(formatRecord(record, 'raw')).toBe('{"a":1}')
    expect(formatRecord(record, 'pretty')).toBe('── t [0] @5 1970-01-01T00:00:00.000Z\n{\n  "a": 1\n}')
  })
})

describe('remote scripts quote every value', () => {
  it('consume: a hostile group name reaches the consumer as one argument and runs nothing', async () => {
    // A fake Kafka install whose console consumer prints its argv, one per line.
    const home = mkdtempSync(join(tmpdir(), 'pinctl-fakehome-'))
    const bin = join(home, 'kafka_2.12-2.8.1', 'bin')
    mkdirSync(bin, {recursive: true})
    writeFileSync(join(bin, 'client.properties'), '')
    writeFileSync(join(bin, 'kafka-topics.sh'), '#!/bin/sh\necho u.pin\n', {mode: 0o755})
    writeFileSync(join(bin, 'kafka-console-consumer.sh'), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n', {mode: 0o755})
    const server = createServer((socket) => socket.end())
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as {port: number}).port
    const pwned = join(home, 'pwned')
    const group = `students'; touch ${pwned}; echo '$(id)`
    try {
      const script = consumeScript({bootstrapServers: `127.0.0.1:${port}`, topic: 'u.pin', group, fromBeginning: true, maxMessages: 3})
      const {stdout} = await execFileAsync('sh', ['-c', script], {env: {...process.env, HOME: home}})
      const argv = stdout.split('\n')
      expect(argv[argv.indexOf('--group') + 1]).toBe(group)
      expect(argv).toContain('--from-beginning')
      expect(argv[argv.indexOf('--max-messages') + 1]).toBe('3')
      expect(argv).toContain(`key.separator=${F}`)
      expect(argv[argv.indexOf('--consumer-property') + 1]).toBe('allow.auto.create.topics=false')
      expect(existsSync(pwned)).toBe(false)
    } finally {
      server.close()
    }
  })

  it('a consumer that fails (a refused login) names client.properties and the permissions in its hint', async () => {
    const session = {
      async stream(_command: string, options: {onStderr?: (chunk: Buffer) => void}) {
        options.onStderr?.(Buffer.from('ERROR Authentication failed: org.apache.kafka.common.errors.SaslAuthenticationException\n'))
        return {code: 1, interrupted: false, lost: false}
      },
    } as unknown as HostSession
    const error = await runConsumer(session, {bootstrapServers: 'b:9098', topic: 'u.pin', fromBeginning: true}, () => {}).catch((e) => e)
    expect(error).toBeInstanceOf(RemoteCommandError)
    expect(error.message).toMatch(/^kafka-console-consumer\.sh exited 1: .*SaslAuthenticationException/)
    expect(error.hint).toMatch(/client\.properties.*kafka-cluster:\* permissions/)
  })

  it('a missing topic: five UNKNOWN_TOPIC_OR_PARTITION warnings for that topic, even cut across chunks', () => {
    const warning = (topic: string, id: number) =>
      `[2026-11-27 23:45:32,282] WARN [Consumer clientId=c-1, groupId=g] Error while fetching metadata with correlation id ${id} : ` +
      `{${topic}=UNKNOWN_TOPIC_OR_PARTITION} (org.apache.kafka.clients.NetworkClient)\n`
    const watch = new MissingTopicWatch('u.pin')
    expect(watch.push(warning('other.pin', 1) + warning('u.pin', 2))).toBe(false)
    const text = [3, 4, 5].map((id) => warning('u.pin', id)).join('') + warning('u.pin', 6)
    expect(watch.push(text.slice(0, 100))).toBe(false)
    expect(watch.push(text.slice(100, -10))).toBe(false)
    expect(watch.push(text.slice(-10))).toBe(true)
    expect(new MissingTopicWatch('u.pi').push(warning('u.pin', 1).repeat(9))).toBe(false)
  })

  it('create topics: names are checked and quoted, one background job per topic', () => {
    const script = createTopicsScript({bootstrapServers: 'b:1', topics: ['u.pin', 'u.geo'], partitions: 3})
    expect(script.match(/--create --if-not-exists/g)).toHaveLength(2)
    expect(script).toContain('--partitions 3')
    expect(() => createTopicsScript({bootstrapServers: 'b:1', topics: ['a b']})).toThrow(/invalid topic name/)
  })

  it('topic names: Kafka rules, and pin/geo/user shorthands', () => {
    expect(checkTopicName('12b287eedf6d.pin')).toBe('12b287eedf6d.pin')
    for (const bad of ['', '.', '..', 'a/b', 'a b', 'x'.repeat(250), '$(id)']) expect(() => checkTopicName(bad)).toThrow()
    expect(topicFor('geo', {pin: 'u.pin', geo: 'u.geo', user: 'u.user'})).toBe('u.geo')
    expect(() => topicFor('pin', undefined)).toThrow(/needs a user id/)
  })
})

describe('kafka-topics.sh output', () => {
  it('tells created, already present and failed apart', () => {
    const out = [
      '@@topic 0 rc=0',
      'Created topic u.pin.',
      '@@topic 1 rc=0',
      '@@topic 2 rc=1',
      'Error while executing topic command : org.apache.kafka.common.errors.TopicAuthorizationException: not authorized',
    ].join('\n')
    expect(parseCreateTopics(['u.pin', 'u.geo', 'u.user'], out)).toEqual([
      {topic: 'u.pin', status: 'created'},
      {topic: 'u.geo', status: 'exists'},
      {topic: 'u.user', status: 'failed', reason: expect.stringMatching(/^access denied: the role needs kafka-cluster:CreateTopic/)},
    ])
  })

  it('names a timeout and a replication factor larger than the cluster', () => {
    expect(topicFailureReason('', 124)).toMatch(/timed out waiting for the brokers/)
    expect(
      topicFailureReason(
        'Error while executing topic command : org.apache.kafka.common.errors.InvalidReplicationFactorException: Replication factor: 3 ' +
          'larger than available brokers: 1.',
        1,
      ),
    ).toMatch(/--replication-factor/)
  })

  it('parses --describe', () => {
    const text =
      'Topic: u.pin\tTopicId: abc\tPartitionCount: 2\tReplicationFactor: 3\tConfigs: min.insync.replicas=2\n\tTopic: u.pin\tPartition: ' +
      '0\tLeader: 1\tReplicas: 1,2,3\tIsr: 1,2\n\tTopic: u.pin\tPartition: 1\tLeader: none\tReplicas: 2,3,1\tIsr: \n'
    expect(parseDescribe(text)).toEqual([
      {
        topic: 'u.pin',
        partitionCount: 2,
        replicationFactor: 3,
        configs: 'min.insync.replicas=2',
        partitions: [
          {partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2]},
          {partition: 1, leader: null, replicas: [2, 3, 1], isr: []},
        ],
      },
    ])
  })
})

describe('REST proxy answers', () => {
  it('reads Confluent offsets, and a 200 with error_code as a failed record', () => {
    const body = JSON.stringify({
      offsets: [
        {partition: 0, offset: 7, error_code: null, error: null},
        {partition: null, offset: null, error_code: 50003, error: 'Local: Message timed out'},
      ],
      key_schema_id: null,
      value_schema_id: null,
    })
    expect(parseProduceAnswer({status: 200, body}, 2)).toEqual([
      {index: 0, ok: true, partition: 0, offset: 7},
      {index: 1, ok: false, errorCode: 50003, error: 'Local: Message timed out'},
    ])
  })

  it('reads the Strimzi bridge shape too', () => {
    const body = JSON.stringify({
      offsets: [
        {partition: 0, offset: 3},
        {error_code: 404, message: 'topic not found'},
      ],
    })
    expect(parseProduceAnswer({status: 200, body}, 2)).toEqual([
      {index: 0, ok: true, partition: 0, offset: 3},
      {index: 1, ok: false, errorCode: 404, error: 'topic not found'},
    ])
  })

  it('turns HTTP errors into errors that say what to do', () => {
    expect(() => parseProduceAnswer({status: 415, body: '{"error_code":415,"message":"HTTP 415 Unsupported Media Type"}'}, 1)).toThrow(
      /answered 415 \(error_code 415\)/,
    )
    expect(() => parseProduceAnswer({status: 502, body: 'Bad Gateway'}, 1)).toThrow(/502/)
    expect(() => parseProduceAnswer({status: 200, body: 'not json'}, 1)).toThrow(/without offsets/)
  })

  it('reads records from one JSON value, an array, or JSON lines', () => {
    expect(parseRecordsInput('{"a": 1}', 'x')).toEqual([{a: 1}])
    expect(parseRecordsInput('{\n  "a": 1\n}\n', 'x')).toEqual([{a: 1}])
    expect(parseRecordsInput('[{"a":1},{"a":2}]', 'x')).toEqual([{a: 1}, {a: 2}])
    expect(parseRecordsInput('{"a":1}\n\n{"a":2}\n', 'x')).toEqual([{a: 1}, {a: 2}])
    expect(() => parseRecordsInput('{"a":1}\n{oops', 'f.jsonl')).toThrow(/line 2 of f.jsonl is not JSON/)
    expect(() => parseRecordsInput('  ', 'stdin')).toThrow(/no records in stdin/)
  })
})

describe('emulated records', () => {
  it("have the fields of the seed's three tables and one index per post", () => {
    const records = generateRecords(randomSource(1), 7)
    expect(Object.keys(records.pin)).toEqual(
      expect.arrayContaining([
        'index',
        'unique_id',
        'title',
        'description',
        'follower_count',
        'tag_list',
        'is_image_or_video',
        'image_src',
        'save_location',
        'category',
      ]),
    )
    expect(Object.keys(records.geo)).toEqual(['ind', 'timestamp', 'latitude', 'longitude', 'country'])
    expect(Object.keys(records.user)).toEqual(['ind', 'first_name', 'last_name', 'age', 'date_joined'])
    expect([records.pin.index, records.geo.ind, records.user.ind]).toEqual([7, 7, 7])
    expect(records.pin.unique_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(records.geo.latitude).toBeGreaterThanOrEqual(-90)
    expect(records.geo.latitude).toBeLessThanOrEqual(90)
    expect(records.user.age).toBeGreaterThanOrEqual(18)
  })

  it('are the same for the same seed and differ for another', () => {
    expect(generateRecords(randomSource(42), 0)).toEqual(generateRecords(randomSource(42), 0))
    expect(generateRecords(randomSource(42), 0)).not.toEqual(generateRecords(randomSource(43), 0))
  })
})

describe('produce records input', () => {
  it('reads --data, then --file, then piped stdin; a terminal with nothing given is exit 2', async () => {
    const {Readable} = await import('node:stream')
    const {readRecordsInput} = await import('../../src/kafka/records-input.js')
    const {mkdtempSync, writeFileSync} = await import('node:fs')
    const {join} = await import('node:path')
    const {tmpdir} = await import('node:os')
    const piped = () => Readable.from(['{"from":"stdin"}\n'])
    expect(await readRecordsInput({data: '{"a":1}', file: 'ignored'}, piped())).toEqual([{a: 1}])
    const file = join(mkdtempSync(join(tmpdir(), 'pinctl-rec-')), 'r.jsonl')
    writeFileSync(file, '{"b":1}\n{"b":2}\n')
    expect(await readRecordsInput({file}, piped())).toEqual([{b: 1}, {b: 2}])
    expect(await readRecordsInput({file: '-'}, piped())).toEqual([{from: 'stdin'}])
    const terminal = Object.assign(Readable.from([]), {isTTY: true})
    await expect(readRecordsInput({}, terminal)).rejects.toMatchObject({exitCode: 2, message: 'no records given'})
    await expect(readRecordsInput({file: '/nonexistent.jsonl'}, piped())).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('cannot read /nonexistent.jsonl'),
    })
  })
})
