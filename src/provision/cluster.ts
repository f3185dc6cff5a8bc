import type {Config} from '../config/resolve.js'
import {ConfigError} from '../errors.js'

/**
 * Bootstrap servers for the client host: an explicit setting wins (local brokers, the sandbox);
 * otherwise they are asked of MSK for the configured cluster.
 */
export async function resolveBootstrap(config: Config): Promise<{bootstrapServers: string; zookeeper?: string}> {
  if (config.bootstrapServers) return {bootstrapServers: config.bootstrapServers, zookeeper: config.zookeeper}
  throw new ConfigError('no bootstrap servers configured', 'pass --bootstrap-servers (MSK console → View client information → IAM, port 9098) or set bootstrapServers / PINCTL_BOOTSTRAP_SERVERS')
}
