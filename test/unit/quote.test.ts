import {execFileSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'

import {shellQuote} from '../../src/ssh/quote.js'

const HOSTILE = [
  '',
  ' ',
  "it's",
  "'; rm -rf / #",
  '$(id)',
  '`id`',
  '${HOME}',
  '"double" \\ back\\slash',
  'line1\nline2',
  '*',
  '-n',
  '--help',
  'tab\there',
  '12b287eedf6d.pin',
  'ünïcødé ✓',
  "''''",
  '\\',
  '!!',
  'a;b|c&d>e<f',
]

describe('shellQuote', () => {
  it.each(HOSTILE)('round-trips %j through a real POSIX shell unchanged', (value) => {
    const out = execFileSync('sh', ['-c', `printf '%s' ${shellQuote(value)}`], {encoding: 'utf8'})
    expect(out).toBe(value)
  })

  it('keeps plain words readable', () => {
    expect(shellQuote('12b287eedf6d.pin')).toBe('12b287eedf6d.pin')
    expect(shellQuote('/home/ec2-user/kafka_2.12-2.8.1')).toBe('/home/ec2-user/kafka_2.12-2.8.1')
  })

  it('refuses NUL bytes', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/)
  })
})
