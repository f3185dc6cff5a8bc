import {type AwsSettings, awsSettings} from '../aws/clients.js'
import {requireSetting, type Config} from '../config/resolve.js'
import {resolveBootstrap} from '../kafka/cluster.js'
import {sshTarget} from '../ssh/target.js'
import type {ProvisionOptions} from './runner.js'

export type ProvisionSettings = Pick<
  ProvisionOptions,
  'target' | 'aws' | 'userId' | 'roleName' | 'auth' | 'restProxyPort' | 'bootstrapServers' | 'artifacts'
>

/** What every provisioning run (setup-client, rest-proxy start) takes from the config, checked up front. */
export function provisionSettings(
  config: Config,
  sha512: {confluent?: string} = {},
  aws: AwsSettings = awsSettings(config),
): ProvisionSettings {
  // The user id first: without it the other names cannot be derived, so it is what to ask for.
  const userId = requireSetting(config, 'userId')
  const target = sshTarget(config)
  return {
    target,
    aws,
    userId,
    roleName: requireSetting(config, 'roleName'),
    auth: config.auth,
    restProxyPort: config.restProxyPort,
    bootstrapServers: () => resolveBootstrap(config, aws),
    artifacts: {mirror: config.mirror, artifactsFile: config.artifactsFile, sha512},
  }
}
