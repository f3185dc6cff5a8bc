import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {mergeTrustPolicy, parseTrustPolicy, trustsItself} from '../../src/provision/trust-policy.js'

const ARN = 'arn:aws:iam::584739742957:role/12b287eedf6d-ec2-access-role'
const ec2Only = {Version: '2012-10-17', Statement: [{Effect: 'Allow', Principal: {Service: 'ec2.amazonaws.com'}, Action: 'sts:AssumeRole'}]}

describe('trust policy merge', () => {
  it('decodes the URL-encoded document GetRole returns', () => {
    const raw = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'trust-policy-getrole.txt'), 'utf8').trim()
    expect(parseTrustPolicy(raw)).toEqual(ec2Only)
    expect(parseTrustPolicy(JSON.stringify(ec2Only))).toEqual(ec2Only)
  })

  it('adds the role as a principal when missing, keeping the other statements', () => {
    const {changed, document} = mergeTrustPolicy(ec2Only, ARN)
    expect(changed).toBe(true)
    expect(document.Statement).toEqual([...ec2Only.Statement, {Effect: 'Allow', Principal: {AWS: ARN}, Action: 'sts:AssumeRole'}])
    expect(mergeTrustPolicy(document, ARN).changed).toBe(false)
  })

  it('recognises a string principal, an array principal and an action list', () => {
    expect(trustsItself({Statement: [{Effect: 'Allow', Principal: {AWS: ARN}, Action: 'sts:AssumeRole'}]}, ARN)).toBe(true)
    expect(
      trustsItself(
        {Statement: [{Effect: 'Allow', Principal: {AWS: ['arn:aws:iam::1:root', ARN]}, Action: ['sts:TagSession', 'sts:AssumeRole']}]},
        ARN,
      ),
    ).toBe(true)
    expect(trustsItself({Statement: {Effect: 'Allow', Principal: {AWS: ARN}, Action: 'sts:AssumeRole'}}, ARN)).toBe(true)
  })

  it('does not count a Deny, another role, another action or a conditional allow', () => {
    expect(trustsItself({Statement: [{Effect: 'Deny', Principal: {AWS: ARN}, Action: 'sts:AssumeRole'}]}, ARN)).toBe(false)
    expect(trustsItself({Statement: [{Effect: 'Allow', Principal: {AWS: `${ARN}-other`}, Action: 'sts:AssumeRole'}]}, ARN)).toBe(false)
    expect(trustsItself({Statement: [{Effect: 'Allow', Principal: {AWS: ARN}, Action: 'sts:TagSession'}]}, ARN)).toBe(false)
    expect(
      trustsItself(
        {
          Statement: [
            {Effect: 'Allow', Principal: {AWS: ARN}, Action: 'sts:AssumeRole', Condition: {Bool: {'aws:SecureTransport': 'true'}}},
          ],
        },
        ARN,
      ),
    ).toBe(false)
  })

  it('turns a single statement object into a list when adding', () => {
    const single = {Version: '2012-10-17', Statement: ec2Only.Statement[0]}
    const {document} = mergeTrustPolicy(single, ARN)
    expect(Array.isArray(document.Statement)).toBe(true)
    expect(document.Statement).toHaveLength(2)
  })
})
