import {Flags} from '@oclif/core'

import type {ConfigInput} from './config/schema.js'
import {parseDuration} from './connect/connector-flags.js'

/** Flags of every command that talks to the EC2 client host over SSH. */
export const sshFlags = {
  host: Flags.string({description: "EC2 client host (public DNS or IP)", helpGroup: 'SSH'}),
  'ssh-port': Flags.integer({description: 'SSH port (default 22)', helpGroup: 'SSH'}),
  'ssh-user': Flags.string({description: 'SSH user (default ec2-user)', helpGroup: 'SSH'}),
  'key-file': Flags.string({description: 'private key file (default ~/.ssh/<key-pair>.pem)', helpGroup: 'SSH'}),
}

export function sshOverrides(flags: {host?: string; 'ssh-port'?: number; 'ssh-user'?: string; 'key-file'?: string}): ConfigInput {
  return {host: flags.host, sshPort: flags['ssh-port'], sshUser: flags['ssh-user'], keyFile: flags['key-file']}
}

/** Flags of commands that reach the brokers from the host. */
export const kafkaFlags = {
  'bootstrap-servers': Flags.string({description: 'broker list (default: from config, else asked of MSK)', helpGroup: 'KAFKA'}),
}

/** Commands that change the host take its lock; a second run waits this long for the first. */
export const lockFlags = {
  'lock-timeout': Flags.custom<number>({parse: async (input) => parseDuration(input)})({
    description: 'how long to wait while another pinctl run holds the host lock (e.g. 30s, 5m)',
    default: 60_000,
    defaultHelp: async () => '60s',
    helpGroup: 'SSH',
  }),
}

/** The source database's credentials file (emulate --source db, doctor's source layer). */
export const dbCredsFlags = {
  'db-creds': Flags.string({
    description: 'db_creds.yaml of the source database (HOST, USER, PASSWORD, DATABASE, PORT); env PINCTL_DB_CREDS',
  }),
}
