import {AwsError, ConfigError} from '../errors.js'
import {awsCall, clientConfig, type AwsSettings} from './clients.js'

/** Key pair name → id (`key-0abc…`), the id being what Parameter Store files the private key under. */
export async function keyPairId(settings: AwsSettings, keyPairName: string): Promise<string> {
  const {EC2Client, DescribeKeyPairsCommand} = await import('@aws-sdk/client-ec2')
  const client = new EC2Client(clientConfig(settings))
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
