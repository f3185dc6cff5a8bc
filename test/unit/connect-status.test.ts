import {
  DescribeConnectorCommand,
  DescribeCustomPluginCommand,
  KafkaConnectClient,
  ListConnectorsCommand,
  ListCustomPluginsCommand,
} from '@aws-sdk/client-kafkaconnect'
import {ListObjectsV2Command, S3Client} from '@aws-sdk/client-s3'
import {mockClient} from 'aws-sdk-client-mock'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {connectorStatus, renderStatus, type ConnectorStatus, watchConnectorStatus} from '../../src/connect/status.js'
import * as msk from './fixtures/msk.js'

const kc = mockClient(KafkaConnectClient)
const s3 = mockClient(S3Client)
const aws = {region: 'us-east-1'}
const topics = ['12b287eedf6d.pin', '12b287eedf6d.geo', '12b287eedf6d.user']
const options = {
  aws,
  pluginName: '12b287eedf6d-plugin',
  connectorName: '12b287eedf6d-connector',
  bucket: 'user-12b287eedf6d-bucket',
  topics,
  now: () => new Date('2024-05-02T12:00:00Z'),
}

function object(topic: string, offset: number, modified: string) {
  return {
    Key: `topics/${topic}/partition=0/${topic}+0+${String(offset).padStart(10, '0')}.json`,
    Size: 100,
    LastModified: new Date(modified),
  }
}

beforeEach(() => {
  kc.reset()
  s3.reset()
  s3.on(ListObjectsV2Command).resolves({Contents: [], IsTruncated: false})
})
afterEach(() => {
  kc.reset()
  s3.reset()
})

describe('connectorStatus', () => {
  it('reads plugin, connector (reason, capacity) and counts objects per topic under topics/<topic>/', async () => {
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [msk.pluginSummary('ACTIVE')]})
    kc.on(ListConnectorsCommand).resolves({
      connectors: [{connectorName: '12b287eedf6d-connector', connectorArn: msk.CONNECTOR_ARN, connectorState: 'RUNNING'}],
    })
    kc.on(DescribeConnectorCommand).resolves({
      connectorState: 'RUNNING',
      capacity: {
        autoScaling: {
          minWorkerCount: 1,
          maxWorkerCount: 2,
          mcuCount: 1,
          scaleInPolicy: {cpuUtilizationPercentage: 20},
          scaleOutPolicy: {cpuUtilizationPercentage: 80},
        },
      },
      connectorConfiguration: {'topics.regex': '12b287eedf6d.*'},
    })
    s3.on(ListObjectsV2Command, {Prefix: 'topics/12b287eedf6d.pin/'})
      .resolvesOnce({
        Contents: [object('12b287eedf6d.pin', 0, '2024-05-02T11:00:00Z'), object('12b287eedf6d.pin', 1, '2024-05-02T11:58:00Z')],
        IsTruncated: true,
        NextContinuationToken: 't',
      })
      .resolves({Contents: [object('12b287eedf6d.pin', 2, '2024-05-02T11:30:00Z')], IsTruncated: false})
    s3.on(ListObjectsV2Command, {Prefix: 'topics/12b287eedf6d.geo/'}).resolves({
      Contents: [object('12b287eedf6d.geo', 0, '2024-05-02T10:00:00Z')],
      IsTruncated: false,
    })

    const status = await connectorStatus(options)
    expect(status.plugin).toEqual({name: '12b287eedf6d-plugin', state: 'ACTIVE', arn: msk.PLUGIN_ARN})
    expect(status.connector).toMatchObject({
      state: 'RUNNING',
      capacity: 'autoscaling 1–2 workers × 1 MCU (in <20%, out >80% CPU)',
      topicsRegex: '12b287eedf6d.*',
    })
    expect(status.topics).toEqual([
      {
        topic: '12b287eedf6d.pin',
        prefix: 'topics/12b287eedf6d.pin/',
        objects: 3,
        bytes: 300,
        newest: '2024-05-02T11:58:00.000Z',
        truncated: false,
      },
      {
        topic: '12b287eedf6d.geo',
        prefix: 'topics/12b287eedf6d.geo/',
        objects: 1,
        bytes: 100,
        newest: '2024-05-02T10:00:00.000Z',
        truncated: false,
      },
      {topic: '12b287eedf6d.user', prefix: 'topics/12b287eedf6d.user/', objects: 0, bytes: 0, truncated: false},
    ])
  })

  it('says ABSENT for what does not exist, and gives the failure reasons', async () => {
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: [msk.pluginSummary('CREATE_FAILED')]})
    kc.on(DescribeCustomPluginCommand).resolves({customPluginState: 'CREATE_FAILED', stateDescription: {message: 'bad zip'}})
    kc.on(ListConnectorsCommand).resolves({connectors: []})
    const status = await connectorStatus(options)
    expect(status.plugin).toMatchObject({state: 'CREATE_FAILED', reason: 'bad zip'})
    expect(status.connector).toEqual({name: '12b287eedf6d-connector', state: 'ABSENT'})
  })
})

describe('renderStatus', () => {
  const status: ConnectorStatus = {
    plugin: {name: '12b287eedf6d-plugin', state: 'ACTIVE', arn: msk.PLUGIN_ARN},
    connector: {
      name: '12b287eedf6d-connector',
      state: 'FAILED',
      reason: 'Unable to connect to the bootstrap servers',
      capacity: '1 worker × 1 MCU',
      topicsRegex: '12b287eedf6d.*',
    },
    bucket: 'user-12b287eedf6d-bucket',
    topics: [
      {
        topic: '12b287eedf6d.pin',
        prefix: 'topics/12b287eedf6d.pin/',
        objects: 1204,
        bytes: 2_500_000,
        newest: '2024-05-02T11:57:00.000Z',
        truncated: false,
      },
      {
        topic: '12b287eedf6d.geo',
        prefix: 'topics/12b287eedf6d.geo/',
        objects: 100_000,
        bytes: 1000,
        newest: '2024-05-02T09:00:00.000Z',
        truncated: true,
      },
      {topic: '12b287eedf6d.user', prefix: 'topics/12b287eedf6d.user/', objects: 0, bytes: 0, truncated: false},
    ],
    checkedAt: '2024-05-02T12:00:00.000Z',
  }

  it('prints states, the failure reason, capacity and one row per topic with count, size and age', () => {
    expect(renderStatus(status)).toEqual([
      'plugin     12b287eedf6d-plugin  ACTIVE',
      'connector  12b287eedf6d-connector  FAILED',
      '           reason: Unable to connect to the bootstrap servers',
      '           capacity: 1 worker × 1 MCU',
      '           topics.regex: 12b287eedf6d.*',
      'bucket     s3://user-12b287eedf6d-bucket/topics/',
      '  topic               objects       size  newest',
      '  12b287eedf6d.pin       1204    2.4 MiB  2024-05-02T11:57:00.000Z (3m ago)',
      '  12b287eedf6d.geo    100000+     1000 B  2024-05-02T09:00:00.000Z (3h ago)',
      '  12b287eedf6d.user         0        0 B  -',
    ])
  })

  it('colours good and bad states when given a painter', () => {
    const lines = renderStatus(status, (style, text) => `<${style}>${text}</${style}>`)
    expect(lines[0]).toContain('<green>ACTIVE</green>')
    expect(lines[1]).toContain('<red>FAILED</red>')
  })
})

describe('watchConnectorStatus', () => {
  it('hands a fresh status to onStatus every interval and ends normally when the signal fires', async () => {
    kc.on(ListCustomPluginsCommand).resolves({customPlugins: []})
    kc.on(ListConnectorsCommand).resolves({connectors: []})
    const controller = new AbortController()
    const seen: string[] = []
    const slept: number[] = []
    const clock = {
      now: () => 0,
      sleep: async (ms: number, signal?: AbortSignal) => {
        slept.push(ms)
        if (slept.length === 2) controller.abort()
        if (signal?.aborted) throw new Error('aborted')
      },
    }
    await watchConnectorStatus(
      {...options, signal: controller.signal},
      {intervalMs: 5000, clock, onStatus: (status) => seen.push(status.connector.state)},
    )
    expect(seen).toEqual(['ABSENT', 'ABSENT'])
    expect(slept).toEqual([5000, 5000])
  })
})
