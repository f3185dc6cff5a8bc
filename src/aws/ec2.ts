import {AwsError, ConfigError} from '../errors.js'
import {awsCall, clientConfig, type AwsSettings} from './clients.js'

/** Key pair name → id (`key-0abc…`), the id being what Parameter Store files the private key under. */
export async function keyPairId(settings: AwsSettings, keyPairName: string): Promise<string> {
  const {EC2Client, DescribeKeyPairsCommand} = await import('@aws-sdk/client-ec2')
  const client = new EC2Client(clientConfig(settings, 'EC2'))
  const answer = await awsCall(
    'ec2:DescribeKeyPairs',
    () => client.send(new DescribeKeyPairsCommand({KeyNames: [keyPairName]})),
    (name) =>
      name === 'InvalidKeyPair.NotFound'
        ? new ConfigError(`key pair ${JSON.stringify(keyPairName)} does not exist in ${settings.region}`, 'check the key pair name (PINCTL_KEY_PAIR / keyPairName) and --region; `aws ec2 describe-key-pairs` lists them')
        : undefined,
  )
  const id = answer.KeyPairs?.[0]?.KeyPairId
  if (!id) throw new AwsError(`EC2 returned no id for key pair ${JSON.stringify(keyPairName)}`)
  return id
}

/** A running instance as `pinctl init` shows it: Name tag, public DNS, the key pair it was launched with. */
export interface InstanceSummary {
  id: string
  name?: string
  state: string
  type?: string
  publicDns?: string
  publicIp?: string
  privateDns?: string
  privateIp?: string
  keyName?: string
  launched?: string
}

/** Running instances (DescribeInstances, every page), newest launch first. */
export async function listRunningInstances(settings: AwsSettings): Promise<InstanceSummary[]> {
  const {EC2Client, DescribeInstancesCommand} = await import('@aws-sdk/client-ec2')
  const client = new EC2Client(clientConfig(settings, 'EC2'))
  const found: InstanceSummary[] = []
  let nextToken: string | undefined
  do {
    const page = await awsCall('ec2:DescribeInstances', () =>
      client.send(new DescribeInstancesCommand({Filters: [{Name: 'instance-state-name', Values: ['running']}], NextToken: nextToken})),
    )
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (!instance.InstanceId) continue
        found.push({
          id: instance.InstanceId,
          name: instance.Tags?.find((tag) => tag.Key === 'Name')?.Value || undefined,
          state: instance.State?.Name ?? 'unknown',
          type: instance.InstanceType,
          publicDns: instance.PublicDnsName || undefined,
          publicIp: instance.PublicIpAddress || undefined,
          privateDns: instance.PrivateDnsName || undefined,
          privateIp: instance.PrivateIpAddress || undefined,
          keyName: instance.KeyName || undefined,
          launched: instance.LaunchTime?.toISOString(),
        })
      }
    }
    nextToken = page.NextToken
  } while (nextToken)
  return found.sort((a, b) => (b.launched ?? '').localeCompare(a.launched ?? ''))
}
