import {homedir} from 'node:os'
import {join} from 'node:path'

import {requireSetting, type Config} from '../config/resolve.js'
import type {SshTarget} from './session.js'

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
