import {GetObjectCommand, ListObjectsV2Command, S3Client} from '@aws-sdk/client-s3'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, describe, expect, it} from 'vitest'

import {formatStoredRecord, parseObjectKey, readStoredRecords} from '../../src/connect/objects.js'

const s3 = mockClient(S3Client)
const aws = {region: 'us-east-1'}
const topic = '12b287eedf6d.geo'
const key = (partition: number, offset: number) =>
  `topics/${topic}/partition=${partition}/${topic}+${partition}+${String(offset).padStart(10, '0')}.json`
const body = (text: string) => ({transformToString: async () => text}) as never

afterEach(() => s3.reset())

describe('object keys of the S3 sink', () => {
  it('give the topic, partition and first offset', () => {
    expect(parseObjectKey(key(0, 42))).toEqual({topic, partition: 0, offset: 42})
    expect(parseObjectKey('topics/a.b/partition=3/a.b+3+0000001000.json')).toEqual({topic: 'a.b', partition: 3, offset: 1000})
    expect(parseObjectKey('topics/a/partition=1/a+2+0000000000.json')).toBeUndefined()
    expect(parseObjectKey('kafka-connect-s3/confluentinc-kafka-connect-s3-10.0.3.zip')).toBeUndefined()
  })
})

describe('reading the records back', () => {
  it('returns the newest records first, one per line, with the offset of each line; old objects are not read', async () => {
    s3.on(ListObjectsV2Command, {Prefix: `topics/${topic}/`}).resolves({
      Contents: [key(0, 0), key(0, 1), key(0, 2), key(0, 4)].map((Key) => ({Key, Size: 10})),
    })
    const objects: Record<string, string> = {
      [key(0, 0)]: '{"ind":1}\n',
      [key(0, 1)]: '{"ind":2}\n',
      [key(0, 2)]: '{"ind":3,"country":"Côte d\'Ivoire"}\n{"ind":4}\n',
      [key(0, 4)]: '{"ind":5,"timestamp":"2019-09-26T09:36:49"}\n',
    }
    for (const [Key, text] of Object.entries(objects)) s3.on(GetObjectCommand, {Key}).callsFake(() => ({Body: body(text)}))

    const {records, objects: count} = await readStoredRecords(aws, 'user-12b287eedf6d-bucket', topic, {limit: 3})
    expect(count).toBe(4)
    expect(records).toEqual([
      {key: key(0, 4), partition: 0, offset: 4, value: {ind: 5, timestamp: '2019-09-26T09:36:49'}},
      {key: key(0, 2), partition: 0, offset: 3, value: {ind: 4}},
      {key: key(0, 2), partition: 0, offset: 2, value: {ind: 3, country: "Côte d'Ivoire"}},
    ])
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key)).toEqual([key(0, 4), key(0, 2)])
  })

  it('an empty prefix gives no records', async () => {
    s3.on(ListObjectsV2Command).resolves({})
    expect(await readStoredRecords(aws, 'b', topic, {limit: 20})).toEqual({records: [], objects: 0})
  })
})

describe('output formats', () => {
  const record = {key: key(0, 7), partition: 0, offset: 7, value: {ind: 7, country: 'Albania'}}
  it('raw is the value, json one line with key, partition, offset and value, pretty a header and the indented value', () => {
    expect(formatStoredRecord(record, 'raw')).toBe('{"ind":7,"country":"Albania"}')
    expect(JSON.parse(formatStoredRecord(record, 'json'))).toEqual(record)
    expect(formatStoredRecord(record, 'pretty')).toBe(`── [0] @7 s3 key ${key(0, 7)}\n{\n  "ind": 7,\n  "country": "Albania"\n}`)
  })
})
