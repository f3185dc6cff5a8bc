import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {shellQuote} from '../../src/ssh/quote.js'
import {SshSession} from '../../src/ssh/session.js'
import {ensureKeyFile, sshTargetFromEnv} from './harness.js'

// What a hostile value is made of: shell syntax, quotes, expansions, line breaks and control characters.
const PIECES = [
  "'",
  '"',
  '`',
  '$(',
  ')',
  '${',
  '}',
  '$HOME',
  '$((1+1))',
  '\\',
  '\n',
  '\r',
  '\t',
  ' ',
  ';',
  '|',
  '&',
  '&&',
  '>',
  '<',
  '*',
  '?',
  '[a]',
  '~',
  '#',
  '!',
  '-',
  '--',
  '-e',
  '%s',
  '\u001b[31m',
  '\u0007',
  '\u007f',
  '\u0085',
  'é',
  '✓',
  '😀',
  '\u202e',
  'a',
  'Z',
  '0',
]

const hostile = fc.oneof(
  {weight: 4, arbitrary: fc.string({unit: fc.constantFrom(...PIECES), maxLength: 40})},
  {weight: 2, arbitrary: fc.string({unit: 'grapheme', maxLength: 40})},
  {weight: 2, arbitrary: fc.string({unit: 'binary', maxLength: 40})},
  {weight: 1, arbitrary: fc.string({unit: fc.constantFrom(...PIECES), maxLength: 40}).map((text) => `-${text}`)},
  {weight: 1, arbitrary: fc.string({unit: fc.constantFrom(...PIECES), minLength: 2000, maxLength: 8000})},
)

// A shell argument cannot hold NUL, and a lone surrogate is not text that UTF-8 can carry.
const arbitrary = hostile.filter((text) => !text.includes('\0') && text.isWellFormed())

let session: SshSession

beforeAll(async () => {
  await ensureKeyFile()
  session = await SshSession.open(sshTargetFromEnv())
}, 120_000)

afterAll(async () => {
  await session?.dispose()
})

describe('shellQuote through the sandbox sshd (property)', () => {
  it('brings 1,000 generated hostile strings back byte for byte, over one connection', async () => {
    let tried = 0
    await fc.assert(
      fc.asyncProperty(arbitrary, async (text) => {
        tried++
        const result = await session.exec(`printf '%s' ${shellQuote(text)}`)
        expect(result.code).toBe(0)
        expect(Buffer.from(result.stdout, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true)
      }),
      {numRuns: 1000, seed: 20261127},
    )
    expect(tried).toBeGreaterThanOrEqual(1000)
    expect(session.stats.connections).toBe(1)
  }, 300_000)
})
