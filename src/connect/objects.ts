import type {AwsSettings} from '../aws/clients.js'
import {getObjectText, listObjects} from '../aws/s3.js'
import {parseValue} from '../kafka/consume.js'

/** One record the S3 sink wrote: the object it is in, its Kafka partition and offset, and the value. */
export interface StoredRecord {
  key: string
  partition: number
  offset: number
  value: unknown
}

/** Where an object's records came from: `topics/<topic>/partition=<n>/<topic>+<n>+<first offset, 10 digits>.json`. */
export function parseObjectKey(key: string): {topic: string; partition: number; offset: number} | undefined {
  const match = /\/partition=(\d+)\/([^/]+)\+(\d+)\+(\d+)\.json$/.exec(key)
  if (!match || match[1] !== match[3]) return undefined
  return {topic: match[2], partition: Number(match[1]), offset: Number(match[4])}
}

/** Largest object read whole: the sink writes flush.size records per object, a few KB each. */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024

/**
 * The newest `limit` records of a topic in the bucket, newest (highest offset) first. An object holds
 * one JSON value per line, the first at the offset in its key; objects are read newest first until
 * `limit` records are found, so old objects are never downloaded.
 */
export async function readStoredRecords(
  aws: AwsSettings,
  bucket: string,
  topic: string,
  {limit, signal}: {limit: number; signal?: AbortSignal},
): Promise<{records: StoredRecord[]; objects: number}> {
  const listing = await listObjects(aws, bucket, `topics/${topic}/`, {limit: Number.MAX_SAFE_INTEGER, signal})
  const objects = listing.objects
    .map((object) => ({key: object.key, place: parseObjectKey(object.key)}))
    .filter((object) => object.place?.topic === topic)
    .sort((a, b) => b.place!.offset - a.place!.offset || b.place!.partition - a.place!.partition)
  const records: StoredRecord[] = []
  for (const object of objects) {
    if (records.length >= limit) break
    signal?.throwIfAborted()
    const text = await getObjectText(aws, bucket, object.key, MAX_OBJECT_BYTES)
    const lines = text.split('\n').filter((line) => line.trim() !== '')
    const {partition, offset} = object.place!
    const found = lines.map((line, index) => ({key: object.key, partition, offset: offset + index, value: parseValue(line)}))
    records.push(...found.reverse())
  }
  records.sort((a, b) => b.offset - a.offset || b.partition - a.partition)
  return {records: records.slice(0, limit), objects: objects.length}
}

export type StoredFormat = 'raw' | 'json' | 'pretty'

/** raw: the value as the sink wrote it; json: one line {key, partition, offset, value}; pretty: a header and the indented value. */
export function formatStoredRecord(record: StoredRecord, format: StoredFormat): string {
  if (format === 'json') return JSON.stringify(record)
  const value = typeof record.value === 'string' ? record.value : JSON.stringify(record.value, null, format === 'pretty' ? 2 : undefined)
  if (format === 'raw') return value
  return `── [${record.partition}] @${record.offset} s3 key ${record.key}\n${value}`
}
