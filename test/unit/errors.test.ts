import {Errors} from '@oclif/core'
import {describe, expect, it} from 'vitest'

import {translateAwsError} from '../../src/aws/clients.js'
import {AwsError, ConfigError, describeError, InterruptedError, RemoteCommandError, SshError, VerifyError} from '../../src/errors.js'

function named(name: string, message = 'boom', code?: string): Error {
  const error = new Error(message)
  error.name = name
  if (code) (error as NodeJS.ErrnoException).code = code
  return error
}

describe('error → exit code', () => {
  it.each([
    [new ConfigError('c', 'fix'), 2, 'config'],
    [new AwsError('a'), 3, 'aws'],
    [new SshError('s'), 4, 'ssh'],
    [new RemoteCommandError('r'), 5, 'remote'],
    [new VerifyError('v'), 6, 'verify'],
    [new InterruptedError(), 130, 'interrupted'],
  ])('%s', (error, exitCode, code) => {
    expect(describeError(error)).toMatchObject({exitCode, code, message: error.message})
  })

  it('keeps the hint', () => {
    expect(describeError(new ConfigError('no host', 'set PINCTL_HOST')).hint).toBe('set PINCTL_HOST')
  })

  it('maps oclif usage errors to 2 with a pointer to --help', () => {
    const report = describeError(new Errors.CLIError('Nonexistent flag: --nope\nSee more help with --help'))
    expect(report).toMatchObject({exitCode: 2, code: 'usage', message: 'Nonexistent flag: --nope'})
  })

  it('treats anything else as an internal error (1) with one line and no stack', () => {
    const report = describeError(new TypeError('x is undefined\n    at foo (bar.js:1:1)'))
    expect(report).toMatchObject({exitCode: 1, code: 'internal', message: 'x is undefined'})
    expect(report.hint).toMatch(/--debug/)
  })
})

describe('AWS error translation', () => {
  it.each([
    [named('CredentialsProviderError', 'Could not load credentials from any providers'), /no AWS credentials/, /AWS_PROFILE/],
    [named('AccessDeniedException', 'User is not authorized'), /access denied/, /lacks permission for ssm:GetParameter/],
    [named('ExpiredTokenException', 'token expired'), /expired/, /refresh/],
    [named('Error', 'connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'), /cannot reach the AWS endpoint/, /AWS_ENDPOINT_URL/],
  ])('%s', (error, message, hint) => {
    const translated = translateAwsError('ssm:GetParameter', error) as AwsError
    expect(translated).toBeInstanceOf(AwsError)
    expect(translated.message).toMatch(message)
    expect(translated.hint).toMatch(hint)
    expect(translated.exitCode).toBe(3)
  })

  it('lets the caller translate service-specific errors first', () => {
    const special = new ConfigError('no such key pair')
    expect(
      translateAwsError('x', named('InvalidKeyPair.NotFound'), (name) => (name === 'InvalidKeyPair.NotFound' ? special : undefined)),
    ).toBe(special)
  })

  it('names the action and the SDK error otherwise', () => {
    expect(translateAwsError('kafka:DescribeClusterV2', named('NotFoundException', 'cluster gone\nmore')).message).toBe(
      'kafka:DescribeClusterV2 failed: NotFoundException: cluster gone',
    )
  })
})
