import {AwsError} from '../errors.js'
import {awsCall, awsClient, type AwsSettings} from './clients.js'

export class ParameterMissingError extends AwsError {}

/** A SecureString's decrypted value; ParameterMissingError when there is no such parameter. */
export async function getSecureParameter(settings: AwsSettings, name: string): Promise<string> {
  const {sdk, client} = await awsClient(
    'SSM',
    settings,
    () => import('@aws-sdk/client-ssm'),
    (sdk, config) => new sdk.SSMClient(config),
  )
  const answer = await awsCall(
    'ssm:GetParameter',
    () => client.send(new sdk.GetParameterCommand({Name: name, WithDecryption: true})),
    (errorName) => (errorName === 'ParameterNotFound' ? new ParameterMissingError(`no parameter ${name} in Parameter Store`) : undefined),
  )
  const value = answer.Parameter?.Value
  if (!value) throw new ParameterMissingError(`parameter ${name} is empty`)
  return value
}
