import {Flags} from '@oclif/core'

import type {ConfigInput} from './config/schema.js'
import {ConfigError} from './errors.js'
import {shown} from './ux/printable.js'

/** Flags of every command that talks to the EC2 client host over SSH. */
export const sshFlags = {
  host: Flags.string({description: 'EC2 client host (public DNS or IP)', env: 'PINCTL_HOST', helpGroup: 'SSH'}),
  'ssh-port': Flags.integer({description: 'SSH port (default 22)', env: 'PINCTL_SSH_PORT', min: 1, max: 65_535, helpGroup: 'SSH'}),
  'ssh-user': Flags.string({description: 'SSH user (default ec2-user)', env: 'PINCTL_SSH_USER', helpGroup: 'SSH'}),
  'key-file': Flags.string({description: 'private key file (default ~/.ssh/<key-pair>.pem)', env: 'PINCTL_KEY_FILE', helpGroup: 'SSH'}),
}

export function sshOverrides(flags: {host?: string; 'ssh-port'?: number; 'ssh-user'?: string; 'key-file'?: string}): ConfigInput {
  return {host: flags.host, sshPort: flags['ssh-port'], sshUser: flags['ssh-user'], keyFile: flags['key-file']}
}

/** Flags of commands that reach the brokers from the host. */
export const kafkaFlags = {
  'bootstrap-servers': Flags.string({
    description: 'broker list (default: from config, else asked of MSK)',
    env: 'PINCTL_BOOTSTRAP_SERVERS',
    helpGroup: 'KAFKA',
  }),
}

const DURATION_UNITS = {ms: 1, s: 1000, m: 60_000, h: 3_600_000} as const

/** Every time flag's syntax: "30" (seconds), "30s", "500ms", "5m", "1.5h" → milliseconds, more than zero. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim())
  if (!match) throw new ConfigError(`"${shown(text, 60)}" is not a duration (e.g. 30, 30s, 5m, 1h)`)
  const value = Math.round(Number(match[1]) * DURATION_UNITS[(match[2] ?? 's') as keyof typeof DURATION_UNITS])
  if (value <= 0) throw new ConfigError(`"${shown(text, 60)}" is not a duration: it must be more than 0 (e.g. 30s)`)
  return value
}

/** A duration flag (value in milliseconds). */
export const durationFlag = Flags.custom<number>({parse: async (input) => parseDuration(input)})

/**
 * A duration flag with a default, shown in --help as typed ("10m", not 600000). A defaultHelp
 * function would show it too, but makes oclif load the command module (with its SSH or AWS
 * imports) for --help; so the number stays out of the manifest and the text is in the description.
 */
export function durationFlagWithDefault(defaultText: string, options: {description: string; helpGroup?: string}) {
  const description = `${options.description} [default: ${defaultText}]`
  return durationFlag({...options, description, default: parseDuration(defaultText), noCacheDefault: true})
}

/** Commands that change the host take its lock; a second run waits this long for the first. */
export const lockFlags = {
  'lock-timeout': durationFlagWithDefault('60s', {
    description: 'how long to wait while another pinctl run holds the host lock (e.g. 30s, 5m)',
    helpGroup: 'SSH',
  }),
}

/** The source database's credentials file (emulate --source db, doctor's source layer). */
export const dbCredsFlags = {
  'db-creds': Flags.string({
    description: 'db_creds.yaml of the source database (HOST, USER, PASSWORD, DATABASE, PORT); env PINCTL_DB_CREDS',
  }),
}

/**
 * Run the command on every host of an inventory file. Only the flag selects it, never PINCTL_INVENTORY alone:
 * a shell that has the variable set (the sandbox exports it) must not turn every run into a many-host run.
 */
export const inventoryFlags = {
  inventory: Flags.string({
    description:
      'JSON or YAML list of hosts, each a settings object (userId, host, sshPort, sshUser, keyFile, restProxyPort…) ' +
      'over the config: run on all of them, one summary line per host (e.g. --inventory "$PINCTL_INVENTORY")',
    helpGroup: 'INVENTORY',
  }),
  concurrency: Flags.integer({
    description: 'hosts worked on at once with --inventory',
    default: 8,
    min: 1,
    helpGroup: 'INVENTORY',
  }),
}
