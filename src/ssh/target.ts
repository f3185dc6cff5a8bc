import {homedir} from 'node:os'
import {join} from 'node:path'

import {requireSetting, type Config} from '../config/resolve.js'
import {SshSession, type SshTarget} from './session.js'

/** The SSH target a command connects to, from config; a missing host or key names the setting to set. */
export function sshTarget(config: Config): SshTarget {
  return {
    host: requireSetting(config, 'host', "set the EC2 client's public DNS name: --host, PINCTL_HOST or `host` in the config (`pinctl init` writes it)"),
    port: config.sshPort,
    user: config.sshUser,
    keyFile: requireSetting(config, 'keyFile', 'set keyFile / PINCTL_KEY_FILE, or a user id / key pair name so the default path can be derived'),
    knownHostsFile: config.knownHostsFile,
    systemKnownHosts: [join(homedir(), '.ssh', 'known_hosts')],
  }
}

/** Opens the run's one SSH connection, hands it to `work`, and always closes it. */
export async function withHostSession<T>(config: Config, notify: (message: string) => void, work: (session: SshSession) => Promise<T>): Promise<T> {
  const session = await SshSession.open(sshTarget(config), notify)
  try {
    return await work(session)
  } finally {
    await session.dispose()
  }
}
