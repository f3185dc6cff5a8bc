import {Flags} from '@oclif/core'

import {ConfigError} from '../errors.js'
import {durationFlagWithDefault} from '../flags.js'
import type {ConnectorCapacity} from './connector-request.js'

/** --wait/--no-wait and --timeout for commands that wait on MSK Connect. */
export function waitFlags(defaultTimeout: string) {
  return {
    wait: Flags.boolean({description: 'wait until the operation has finished', default: true, allowNo: true}),
    timeout: durationFlagWithDefault(defaultTimeout, {description: 'longest wait (e.g. 90s, 10m)'}),
  }
}

/** "1-4" → {min: 1, max: 4}. */
export function parseRange(text: string): {min: number; max: number} {
  const match = /^(\d+)\s*[-–:]\s*(\d+)$/.exec(text.trim())
  if (!match) throw new Error(`${JSON.stringify(text)} is not a range MIN-MAX (e.g. 1-2)`)
  const min = Number(match[1])
  const max = Number(match[2])
  if (min < 1 || max < min) throw new Error(`worker range ${text}: need 1 <= MIN <= MAX`)
  return {min, max}
}

export const capacityFlags = {
  workers: Flags.integer({
    description: 'provisioned capacity: number of workers [default: 1]',
    min: 1,
    max: 10,
    helpGroup: 'CAPACITY',
    exclusive: ['autoscale'],
  }),
  mcu: Flags.integer({description: 'MSK Connect units per worker: 1, 2, 4 or 8 [default: 1]', min: 1, max: 8, helpGroup: 'CAPACITY'}),
  autoscale: Flags.string({description: 'autoscaling between MIN-MAX workers instead of a fixed count (e.g. 1-2)', helpGroup: 'CAPACITY'}),
  'scale-in': Flags.integer({
    description: 'autoscaling: scale in below this CPU % [default: 20]',
    min: 1,
    max: 100,
    helpGroup: 'CAPACITY',
    dependsOn: ['autoscale'],
  }),
  'scale-out': Flags.integer({
    description: 'autoscaling: scale out above this CPU % [default: 80]',
    min: 1,
    max: 100,
    helpGroup: 'CAPACITY',
    dependsOn: ['autoscale'],
  }),
}

export function capacityFromFlags(flags: {
  workers?: number
  mcu?: number
  autoscale?: string
  'scale-in'?: number
  'scale-out'?: number
}): ConnectorCapacity {
  const mcu = flags.mcu ?? 1
  if (![1, 2, 4, 8].includes(mcu)) throw new ConfigError(`--mcu ${mcu} is not offered`, 'MSK Connect offers 1, 2, 4 or 8 MCU per worker')
  if (flags.autoscale) {
    let range: {min: number; max: number}
    try {
      range = parseRange(flags.autoscale)
    } catch (error) {
      throw new ConfigError(`--autoscale: ${(error as Error).message}`, 'e.g. --autoscale 1-2')
    }
    const {min, max} = range
    return {
      kind: 'autoscaling',
      minWorkers: min,
      maxWorkers: max,
      mcu,
      scaleInPercent: flags['scale-in'] ?? 20,
      scaleOutPercent: flags['scale-out'] ?? 80,
    }
  }
  return {kind: 'provisioned', workers: flags.workers ?? 1, mcu}
}
