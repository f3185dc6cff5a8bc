import {beforeAll, describe, expect, it} from 'vitest'

import {ensureProvisioned, pinctl, sandboxEnv} from './harness.js'

const run = `${process.pid}${Date.now().toString(36)}`
let topic: string

beforeAll(async () => {
  sandboxEnv()
  await ensureProvisioned()
  topic = `${sandboxEnv().PINCTL_USER ?? '12b287eedf6d'}.flags${run}`
  const created = await pinctl(['topics', 'create', '--topic', topic, '--partitions', '2'])
  if (created.exitCode !== 0) throw new Error(`topics create failed: ${created.stderr}`)
}, 300_000)

describe('produce --key/--partition and consume --partition/--offset on the broker', () => {
  it('a keyed record produced to partition 1 comes back from partition 1 with its key', async () => {
    const produced = await pinctl(['produce', topic, '--key', 'user-7', '--partition', '1', '--data', '{"ind": 7}', '--json'])
    expect(produced.exitCode, String(produced.stderr)).toBe(0)
    expect(JSON.parse(String(produced.stdout)).records).toEqual([{index: 0, ok: true, partition: 1, offset: 0}])

    const json = await pinctl(['consume', topic, '--partition', '1', '--offset', 'beginning', '--max-messages', '1', '--output', 'json'])
    expect(json.exitCode, String(json.stderr)).toBe(0)
    expect(JSON.parse(String(json.stdout).trim())).toMatchObject({topic, partition: 1, offset: 0, key: 'user-7', value: {ind: 7}})
    expect(json.stderr).toContain(`consuming ${topic} partition 1 from offset earliest`)

    const raw = await pinctl(['consume', topic, '--partition', '1', '--offset', '0', '--max-messages', '1', '--print-key'])
    expect(raw.exitCode, String(raw.stderr)).toBe(0)
    expect(String(raw.stdout)).toBe('user-7\t{"ind":7}')
  })

  it('--partition 0 --offset 3 starts at offset 3', async () => {
    const records = Array.from({length: 5}, (_, index) => JSON.stringify({index}))
    const produced = await pinctl(['produce', topic, '--partition', '0', '--file', '-', '--json'], {input: records.join('\n')})
    expect(produced.exitCode, String(produced.stderr)).toBe(0)
    const consumed = await pinctl(['consume', topic, '--partition', '0', '--offset', '3', '--max-messages', '2', '--json'])
    expect(consumed.exitCode, String(consumed.stderr)).toBe(0)
    const document = JSON.parse(String(consumed.stdout))
    expect(document).toMatchObject({topic, count: 2})
    expect(
      document.records.map((record: {offset: number; value: unknown; key: unknown}) => [record.offset, record.value, record.key]),
    ).toEqual([
      [3, {index: 3}, null],
      [4, {index: 4}, null],
    ])
  })

  it('--timeout takes a duration: an idle partition stops after it with exit 0', async () => {
    const consumed = await pinctl(['consume', topic, '--partition', '1', '--offset', 'end', '--timeout', '3s'])
    expect(consumed.exitCode, String(consumed.stderr)).toBe(0)
    expect(consumed.stdout).toBe('')
    expect(consumed.stderr).toContain('0 record(s) consumed')
  })
})
