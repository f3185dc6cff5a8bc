import {ListObjectsV2Command, S3Client} from '@aws-sdk/client-s3'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, describe, expect, it} from 'vitest'

import {listObjects, summarizePrefix} from '../../src/aws/s3.js'

const s3 = mockClient(S3Client)
const aws = {region: 'us-east-1'}
const page = (from: number, count: number, more: boolean) => ({
  Contents: Array.from({length: count}, (_, i) => ({
    Key: `topics/t/partition=0/t+0+${String(from + i).padStart(10, '0')}.json`,
    Size: 10,
    LastModified: new Date(Date.UTC(2024, 0, 1, 0, from + i)),
  })),
  IsTruncated: more,
  NextContinuationToken: more ? `after-${from + count}` : undefined,
})

afterEach(() => s3.reset())

describe('listing objects under a prefix', () => {
  it('follows continuation tokens and summarises every page', async () => {
    // The token is read when each request is sent: the SDK's paginator reuses one input object for every page.
    const tokens: Array<string | undefined> = []
    const pages = [page(0, 3, true), page(3, 2, false)]
    s3.on(ListObjectsV2Command).callsFake((input) => {
      tokens.push(input.ContinuationToken)
      return pages.shift()
    })
    const summary = await summarizePrefix(aws, 'b', 'topics/t/')
    expect(summary).toEqual({objects: 5, bytes: 50, truncated: false, newest: new Date(Date.UTC(2024, 0, 1, 0, 4))})
    expect(tokens).toEqual([undefined, 'after-3'])
  })

  it('stops at the limit and says the count is truncated, without reading further pages', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce(page(0, 3, true))
      .resolvesOnce(page(3, 3, true))
      .resolves(page(6, 3, false))
    expect(await summarizePrefix(aws, 'b', 'topics/t/', {limit: 4})).toMatchObject({objects: 6, truncated: true})
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(2)
    s3.reset()
    s3.on(ListObjectsV2Command)
      .resolvesOnce(page(0, 3, true))
      .resolves(page(3, 3, false))
    const listed = await listObjects(aws, 'b', 'topics/t/', {limit: 2})
    expect(listed.truncated).toBe(true)
    expect(listed.objects.map((object) => object.key.slice(-15))).toEqual(['0000000000.json', '0000000001.json', '0000000002.json'])
  })
})
