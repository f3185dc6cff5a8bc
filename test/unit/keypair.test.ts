import {DescribeKeyPairsCommand, EC2Client} from '@aws-sdk/client-ec2'
import {GetParameterCommand, SSMClient} from '@aws-sdk/client-ssm'
import {mockClient} from 'aws-sdk-client-mock'
import {generateKeyPairSync} from 'node:crypto'
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ConfigError} from '../../src/errors.js'
import {fetchKeyPair} from '../../src/keypair/fetch-keypair.js'

const ec2 = mockClient(EC2Client)
const ssm = mockClient(SSMClient)
const aws = {region: 'us-east-1'}
const pem = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: {type: 'pkcs1', format: 'pem'},
  publicKeyEncoding: {type: 'spki', format: 'pem'},
}).privateKey

function awsError(name: string): Error {
  const error = new Error(name)
  error.name = name
  return error
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pinctl-key-'))
  ec2.reset()
  ssm.reset()
  ec2.on(DescribeKeyPairsCommand, {KeyNames: ['uid-key-pair']}).resolves({KeyPairs: [{KeyName: 'uid-key-pair', KeyPairId: 'key-0abc123'}]})
  ssm.on(GetParameterCommand, {Name: '/ec2/keypair/key-0abc123', WithDecryption: true}).resolves({Parameter: {Value: pem}})
})
afterEach(() => {
  ec2.reset()
  ssm.reset()
})

describe('fetchKeyPair', () => {
  it('looks up the id, reads /ec2/keypair/<id> decrypted and writes a 0400 file', async () => {
    const keyFile = join(dir, 'k.pem')
    const result = await fetchKeyPair({aws, keyPairName: 'uid-key-pair', keyFile})
    expect(result).toMatchObject({status: 'written', keyPairId: 'key-0abc123', parameter: '/ec2/keypair/key-0abc123'})
    expect(result.fingerprint).toMatch(/^SHA256:/)
    expect(JSON.stringify(result)).not.toContain('PRIVATE KEY')
    expect(readFileSync(keyFile, 'utf8')).toBe(pem)
    expect(statSync(keyFile).mode & 0o777).toBe(0o400)
  })

  it('changes nothing on a second run with the same key', async () => {
    const keyFile = join(dir, 'k.pem')
    await fetchKeyPair({aws, keyPairName: 'uid-key-pair', keyFile})
    const before = statSync(keyFile).mtimeMs
    const again = await fetchKeyPair({aws, keyPairName: 'uid-key-pair', keyFile})
    expect(again.status).toBe('unchanged')
    expect(statSync(keyFile).mtimeMs).toBe(before)
  })

  it('refuses to overwrite a different key unless forced', async () => {
    const keyFile = join(dir, 'k.pem')
    writeFileSync(keyFile, 'other key\n', {mode: 0o400})
    await expect(fetchKeyPair({aws, keyPairName: 'uid-key-pair', keyFile})).rejects.toThrow(/exists with a different key/)
    expect(readFileSync(keyFile, 'utf8')).toBe('other key\n')
    const forced = await fetchKeyPair({aws, keyPairName: 'uid-key-pair', keyFile, force: true})
    expect(forced.status).toBe('replaced')
    expect(statSync(keyFile).mode & 0o777).toBe(0o400)
  })

  it('explains key pairs that have no parameter (console/CLI-made)', async () => {
    ssm.on(GetParameterCommand).rejects(awsError('ParameterNotFound'))
    const keyFile = join(dir, 'k.pem')
    const error = await fetchKeyPair({aws, keyPairName: 'uid-key-pair', keyFile}).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('no private key in Parameter Store (/ec2/keypair/key-0abc123)')
    expect(error.hint).toMatch(/CloudFormation/)
    expect(() => statSync(keyFile)).toThrow()
  })

  it('names a key pair that does not exist', async () => {
    ec2.on(DescribeKeyPairsCommand).rejects(awsError('InvalidKeyPair.NotFound'))
    const error = await fetchKeyPair({aws, keyPairName: 'nope', keyFile: join(dir, 'k.pem')}).catch((e) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toContain('"nope" does not exist in us-east-1')
  })

  it('rejects a parameter that is not a private key, writing nothing', async () => {
    ssm.on(GetParameterCommand).resolves({Parameter: {Value: 'not a key'}})
    const keyFile = join(dir, 'k.pem')
    await expect(fetchKeyPair({aws, keyPairName: 'uid-key-pair', keyFile})).rejects.toThrow(/not a private key/)
    expect(() => statSync(keyFile)).toThrow()
  })
})
