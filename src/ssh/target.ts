import {homedir} from 'node:os'
import {join} from 'node:path'

import {requireSetting, type Config} from '../config/resolve.js'
import {type HostSession, type SessionOpener, SshSession, type SshTarget} from './session.js'

/** The SSH target a command connects to, from config; a missing host or key names the setting to set. */
export function sshTarget(config: Config): SshTarget {
  return {
    host: requireSetting(config, 'host'),
    port: config.sshPort,
    user: config.sshUser,
    keyFile: requireSetting(config, 'keyFile'),
    knownHostsFile: config.knownHostsFile,
    systemKnownHosts: [join(homedir(), '.ssh', 'known_hosts')],
  }
}

/** Opens the run's one SSH connection, hands it to `work`, and always closes it. */
export async function withHostSession<T>(
  config: Config,
  onNote: (message: string) => void,
  work: (session: HostSession) => Promise<T>,
  open: SessionOpener = SshSession.open,
): Promise<T> {
  const session = await open(sshTarget(config), onNote)
  try {
    return await work(session)
  } finally {
    await session.dispose()
  }
}
