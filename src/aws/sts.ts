import {AwsError} from '../errors.js'
import {awsCall, awsClient, type AwsSettings} from './clients.js'

export interface CallerIdentity {
  account: string
  arn: string
  userId?: string
}

/** Who the configured credentials are: the cheapest call that proves they work (needs no permission). */
export async function getCallerIdentity(settings: AwsSettings): Promise<CallerIdentity> {
  const {sdk, client} = await awsClient(
    'STS',
    settings,
    () => import('@aws-sdk/client-sts'),
    (sdk, config) => new sdk.STSClient(config),
  )
  const answer = await awsCall('sts:GetCallerIdentity', () => client.send(new sdk.GetCallerIdentityCommand({})))
  if (!answer.Account || !answer.Arn) throw new AwsError('STS returned no identity for the configured credentials')
  return {account: answer.Account, arn: answer.Arn, userId: answer.UserId}
}
