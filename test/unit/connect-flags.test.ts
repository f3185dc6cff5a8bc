import {describe, expect, it} from 'vitest'

import {clientConfig} from '../../src/aws/clients.js'
import {capacityFromFlags} from '../../src/connect/connector-flags.js'
import {parseDuration} from '../../src/flags.js'
import {ConfigError} from '../../src/errors.js'

describe('MSK Connect endpoint', () => {
  it('prefers AWS_ENDPOINT_URL_KAFKACONNECT over the general endpoint (the sandbox sends kafkaconnect to its stand-in)', () => {
    const settings = {region: 'us-east-1', endpoint: 'http://127.0.0.1:5000'}
    expect(clientConfig(settings, 'KAFKACONNECT', {AWS_ENDPOINT_URL_KAFKACONNECT: 'http://127.0.0.1:6000'})).toMatchObject({
      endpoint: 'http://127.0.0.1:6000',
      region: 'us-east-1',
    })
    expect(clientConfig(settings, 'KAFKACONNECT', {})).toMatchObject({endpoint: 'http://127.0.0.1:5000'})
    expect(clientConfig({region: 'us-east-1'}, 'KAFKACONNECT', {})).not.toHaveProperty('endpoint')
  })
})

describe('flag parsing', () => {
  it('applies the service-specific endpoint to that service only, for every client', () => {
    const env = {AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:7000'}
    expect(clientConfig({region: 'us-east-1', endpoint: 'http://127.0.0.1:5000'}, 'S3', env)).toMatchObject({
      endpoint: 'http://127.0.0.1:7000',
    })
    expect(clientConfig({region: 'us-east-1', endpoint: 'http://127.0.0.1:5000'}, 'SSM', env)).toMatchObject({
      endpoint: 'http://127.0.0.1:5000',
    })
  })

  it('reads durations in s, m, h (plain numbers are seconds)', () => {
    expect(parseDuration('90')).toBe(90_000)
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('10m')).toBe(600_000)
    expect(parseDuration('1.5h')).toBe(5_400_000)
    expect(() => parseDuration('soon')).toThrow(/not a duration/)
  })

  it('builds provisioned or autoscaling capacity and rejects what MSK Connect does not offer', () => {
    expect(capacityFromFlags({})).toEqual({kind: 'provisioned', workers: 1, mcu: 1})
    expect(capacityFromFlags({workers: 2, mcu: 4})).toEqual({kind: 'provisioned', workers: 2, mcu: 4})
    expect(capacityFromFlags({autoscale: '1-3', 'scale-out': 70})).toEqual({
      kind: 'autoscaling',
      minWorkers: 1,
      maxWorkers: 3,
      mcu: 1,
      scaleInPercent: 20,
      scaleOutPercent: 70,
    })
    expect(() => capacityFromFlags({mcu: 3})).toThrow(ConfigError)
    expect(() => capacityFromFlags({autoscale: '3-1'})).toThrow(/MIN <= MAX/)
  })
})
