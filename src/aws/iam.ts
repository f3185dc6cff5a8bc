import {AwsError, ConfigError} from '../errors.js'
import {awsCall, clientConfig, type AwsSettings} from './clients.js'

export interface RoleInfo {
  arn: string
  /** As IAM returns it: URL-encoded JSON. */
  trustPolicy: string
}

export async function getRole(settings: AwsSettings, roleName: string): Promise<RoleInfo> {
  const {IAMClient, GetRoleCommand} = await import('@aws-sdk/client-iam')
  const client = new IAMClient(clientConfig(settings, 'IAM'))
  const answer = await awsCall(
    'iam:GetRole',
    () => client.send(new GetRoleCommand({RoleName: roleName})),
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
  const {IAMClient, UpdateAssumeRolePolicyCommand} = await import('@aws-sdk/client-iam')
  const client = new IAMClient(clientConfig(settings, 'IAM'))
  await awsCall('iam:UpdateAssumeRolePolicy', () =>
    client.send(new UpdateAssumeRolePolicyCommand({RoleName: roleName, PolicyDocument: JSON.stringify(document)})),
  )
}
