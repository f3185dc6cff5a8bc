import {AwsError, ConfigError} from '../errors.js'
import {awsCall, awsClient, type AwsSettings} from './clients.js'

function iam(settings: AwsSettings) {
  return awsClient(
    'IAM',
    settings,
    () => import('@aws-sdk/client-iam'),
    (sdk, config) => new sdk.IAMClient(config),
  )
}

export interface RoleInfo {
  arn: string
  /** As IAM returns it: URL-encoded JSON. */
  trustPolicy: string
}

export async function getRole(settings: AwsSettings, roleName: string): Promise<RoleInfo> {
  const {sdk, client} = await iam(settings)
  const answer = await awsCall(
    'iam:GetRole',
    () => client.send(new sdk.GetRoleCommand({RoleName: roleName})),
    (name) =>
      name === 'NoSuchEntityException' || name === 'NoSuchEntity'
        ? new ConfigError(`IAM role ${roleName} does not exist`, 'check roleName / PINCTL_ROLE (default <uid>-ec2-access-role) and --user')
        : undefined,
  )
  const role = answer.Role
  if (!role?.Arn) throw new AwsError(`IAM returned no ARN for role ${roleName}`)
  return {arn: role.Arn, trustPolicy: role.AssumeRolePolicyDocument ?? ''}
}

export async function getRoleArn(settings: AwsSettings, roleName: string): Promise<string> {
  return (await getRole(settings, roleName)).arn
}

export async function updateTrustPolicy(settings: AwsSettings, roleName: string, document: unknown): Promise<void> {
  const {sdk, client} = await iam(settings)
  await awsCall('iam:UpdateAssumeRolePolicy', () =>
    client.send(new sdk.UpdateAssumeRolePolicyCommand({RoleName: roleName, PolicyDocument: JSON.stringify(document)})),
  )
}
