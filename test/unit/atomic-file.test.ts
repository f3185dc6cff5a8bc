import {mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {writeFileAtomically} from '../../src/atomic-file.js'
import {ConfigError} from '../../src/errors.js'

describe('writeFileAtomically', () => {
  it('replaces the file whole, with the mode asked for, and leaves no temp file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinctl-atomic-'))
    const path = join(dir, 'config.json')
    writeFileSync(path, 'old\n')
    writeFileAtomically(path, 'new\n', {mode: 0o600})
    expect(readFileSync(path, 'utf8')).toBe('new\n')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['config.json'])
  })

  it('makes the missing directory with dirMode', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pinctl-atomic-')), 'keys')
    writeFileAtomically(join(dir, 'k.pem'), 'key\n', {mode: 0o400, dirMode: 0o700})
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, 'k.pem')).mode & 0o777).toBe(0o400)
  })

  it('a failed rename is a ConfigError naming what and where, and the temp file is removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinctl-atomic-'))
    const path = join(dir, 'taken')
    mkdirSync(join(path, 'inside'), {recursive: true})
    let caught: unknown
    try {
      writeFileAtomically(path, 'x', {mode: 0o644, what: 'key file'})
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ConfigError)
    expect((caught as Error).message).toMatch(new RegExp(`^cannot write key file ${path}: `))
    expect(readdirSync(dir)).toEqual(['taken'])
  })
})
