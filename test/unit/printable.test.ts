import {describe, expect, it} from 'vitest'

import {printable, shown} from '../../src/ux/printable.js'

describe('printable text in messages', () => {
  it('escapes ESC, CR, BEL, DEL and C1 controls, and keeps newlines and tabs', () => {
    expect(printable('x\u001b[31mRED')).toBe('x\\e[31mRED')
    expect(printable('a\rb\u0007c\u007fd\u009be')).toBe('a\\rb\\x07c\\x7fd\\x9be')
    expect(printable('line 1\n\tline 2')).toBe('line 1\n\tline 2')
    expect(printable('ünïcødé ✓')).toBe('ünïcødé ✓')
  })

  it('shows one value on one line, cut to a length with the full length named', () => {
    expect(shown('a\nb')).toBe('a\\nb')
    const long = shown('t'.repeat(10_000), 50)
    expect(long).toHaveLength(50 + ' (10000 characters)'.length)
    expect(long).toMatch(/^t{49}… \(10000 characters\)$/)
  })
})
