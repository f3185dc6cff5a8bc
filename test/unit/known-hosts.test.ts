import {createHmac, generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {
  fingerprint,
  hostFieldMatches,
  keyTypeOf,
  knownHostName,
  parseKnownHosts,
  readKnownHosts,
  recordHostKey,
  verifyHostKey,
} from '../../src/ssh/known-hosts.js'

/** An ed25519 host key blob in SSH wire format: string "ssh-ed25519", string <32-byte key>. */
function hostKey(): Buffer {
  const {publicKey} = generateKeyPairSync('ed25519')
  const raw = Buffer.from(publicKey.export({format: 'jwk'}).x!, 'base64url')
  const sshString = (data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data])
  return Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)])
}

const keyA = hostKey()
const keyB = hostKey()
const line = (hosts: string, key: Buffer) => `${hosts} ${keyTypeOf(key)} ${key.toString('base64')}`

describe('known_hosts', () => {
  it('names non-22 ports the OpenSSH way', () => {
    expect(knownHostName('ec2.example', 22)).toBe('ec2.example')
    expect(knownHostName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222')
  })

  it('reads the key type from the blob and fingerprints like ssh-keygen', () => {
    expect(keyTypeOf(keyA)).toBe('ssh-ed25519')
    expect(fingerprint(keyA)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })

  it('matches plain, comma lists, wildcards, negation and hashed names', () => {
    expect(hostFieldMatches('a.example,b.example', 'b.example')).toBe(true)
    expect(hostFieldMatches('*.compute-1.amazonaws.com', 'ec2-1-2-3-4.compute-1.amazonaws.com')).toBe(true)
    expect(hostFieldMatches('*.example,!bad.example', 'bad.example')).toBe(false)
    expect(hostFieldMatches('[127.0.0.1]:2222', '127.0.0.1')).toBe(false)
    const salt = Buffer.from('0123456789abcdefghij')
    const hash = createHmac('sha1', salt).update('[127.0.0.1]:2222').digest('base64')
    expect(hostFieldMatches(`|1|${salt.toString('base64')}|${hash}`, '[127.0.0.1]:2222')).toBe(true)
    expect(hostFieldMatches(`|1|${salt.toString('base64')}|${hash}`, '[127.0.0.1]:2223')).toBe(false)
  })

  it('skips comments, blank and short lines, keeps markers', () => {
    const entries = parseKnownHosts(`# c\n\nbroken\n${line('h', keyA)}\n@revoked ${line('h', keyB)}\n`, 'f')
    expect(entries).toHaveLength(2)
    expect(entries[0]).toMatchObject({line: 4, hosts: 'h', keyType: 'ssh-ed25519'})
    expect(entries[1].marker).toBe('@revoked')
  })

  it('says known, unknown, mismatch and revoked', () => {
    const entries = parseKnownHosts(`${line('[10.0.0.1]:2222', keyA)}\n@revoked ${line('bad.example', keyB)}\n`, 'kh')
    expect(verifyHostKey(entries, '10.0.0.1', 2222, keyA).status).toBe('known')
    expect(verifyHostKey(entries, '10.0.0.1', 22, keyA).status).toBe('unknown')
    const mismatch = verifyHostKey(entries, '10.0.0.1', 2222, keyB)
    expect(mismatch).toMatchObject({status: 'mismatch', entry: {file: 'kh', line: 1}})
    expect(verifyHostKey(entries, 'bad.example', 22, keyB).status).toBe('revoked')
  })

  it('calls a key of another type a mismatch once any key is known for the host (as OpenSSH does)', () => {
    const sshString = (data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data])
    const rsa = Buffer.concat([sshString(Buffer.from('ssh-rsa')), sshString(Buffer.from([1, 0, 1])), sshString(Buffer.alloc(64, 7))])
    const entries = parseKnownHosts(`${line('[10.0.0.1]:2222', keyA)}\n`, 'kh')
    expect(verifyHostKey(entries, '10.0.0.1', 2222, rsa)).toMatchObject({status: 'mismatch', entry: {keyType: 'ssh-ed25519', line: 1}})
    // The entry of the presented type is the one named when there is one.
    const both = parseKnownHosts(
      `${line('[10.0.0.1]:2222', keyA)}\n[10.0.0.1]:2222 ssh-rsa ${Buffer.concat([rsa, Buffer.from([1])]).toString('base64')}\n`,
      'kh',
    )
    expect(verifyHostKey(both, '10.0.0.1', 2222, rsa)).toMatchObject({status: 'mismatch', entry: {keyType: 'ssh-rsa', line: 2}})
    expect(verifyHostKey(both, '10.0.0.1', 2222, keyA).status).toBe('known')
    expect(verifyHostKey(entries, '10.0.0.2', 2222, rsa).status).toBe('unknown')
  })

  it('records a new host hashed, and then knows it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinctl-kh-'))
    const file = join(dir, 'sub', 'known_hosts')
    recordHostKey(file, '127.0.0.1', 2222, keyA)
    const text = readFileSync(file, 'utf8')
    expect(text).toMatch(/^\|1\|/)
    expect(text).not.toContain('127.0.0.1')
    const entries = readKnownHosts([join(dir, 'missing'), file])
    expect(verifyHostKey(entries, '127.0.0.1', 2222, keyA).status).toBe('known')
    expect(verifyHostKey(entries, '127.0.0.1', 2222, keyB).status).toBe('mismatch')
  })

  it('reads ~/.ssh-style files written by OpenSSH tools', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinctl-kh-'))
    const file = join(dir, 'known_hosts')
    writeFileSync(file, `${line('ec2.example,1.2.3.4', keyA)}\n`)
    expect(verifyHostKey(readKnownHosts([file]), '1.2.3.4', 22, keyA).status).toBe('known')
  })
})
