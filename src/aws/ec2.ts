import {AwsError, ConfigError} from '../errors.js'
import {awsCall, awsClient, awsPages, type AwsSettings} from './clients.js'

function ec2(settings: AwsSettings) {
  return awsClient(
    'EC2',
    settings,
    () => import('@aws-sdk/client-ec2'),
    (sdk, config) => new sdk.EC2Client(config),
  )
}

/** Key pair name → id (`key-0abc…`), the id being what Parameter Store files the private key under. */
export async function keyPairId(settings: AwsSettings, keyPairName: string): Promise<string> {
  const {sdk, client} = await ec2(settings)
  const answer = await awsCall(
    'ec2:DescribeKeyPairs',
    () => client.send(new sdk.DescribeKeyPairsCommand({KeyNames: [keyPairName]})),
    (name) =>
      name === 'InvalidKeyPair.NotFound'
        ? new ConfigError(
            `key pair ${JSON.stringify(keyPairName)} does not exist in ${settings.region}`,
            'check the key pair name (PINCTL_KEY_PAIR / keyPairName) and --region; `aws ec2 describe-key-pairs` lists them',
          )
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
  const {sdk, client} = await ec2(settings)
  const found: InstanceSummary[] = []
  const pages = sdk.paginateDescribeInstances({client}, {Filters: [{Name: 'instance-state-name', Values: ['running']}]})
  for await (const page of awsPages('ec2:DescribeInstances', pages)) {
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
  }
  return found.sort((a, b) => (b.launched ?? '').localeCompare(a.launched ?? ''))
}
