import {readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join, resolve as resolvePath} from 'node:path'
import type {ZodError} from 'zod/v3'

import {ConfigError} from '../errors.js'
import {configSchema, ENV_NAMES, type ConfigInput, type ConfigKey} from './schema.js'

export const PROJECT_FILE = 'pinctl.json'

/** How a setting is spelled on the command line, for messages and `pinctl config`. */
export const FLAG_NAMES: Partial<Record<ConfigKey, string>> = {
  userId: '--user',
  region: '--region',
  profile: '--profile',
  host: '--host',
  sshPort: '--ssh-port',
  sshUser: '--ssh-user',
  keyFile: '--key-file',
  keyPairName: '--key-pair',
  bootstrapServers: '--bootstrap-servers',
  auth: '--auth',
  mirror: '--mirror',
  clusterName: '--cluster',
  clusterArn: '--cluster-arn',
  endpoint: '--endpoint-url',
  bucket: '--bucket',
  roleName: '--role',
  pluginName: '--plugin-name',
  connectorName: '--connector-name',
  apiName: '--api-name',
  restProxyPort: '--rest-proxy-port',
  dbCreds: '--db-creds',
}

/** Settings whose default is made from the user id (`keyFile` from the key pair name, itself from the user id). */
export const DERIVED_FROM_USER_ID = new Set<keyof Config>([
  'keyPairName',
  'keyFile',
  'bucket',
  'roleName',
  'pluginName',
  'connectorName',
  'apiName',
  'topics',
])

/** The settings every command works with: overrides applied, defaults derived from the user id. */
export interface Config {
  userId?: string
  region: string
  profile?: string
  host?: string
  sshPort: number
  sshUser: string
  keyPairName?: string
  keyFile?: string
  knownHostsFile: string
  clusterName?: string
  clusterArn?: string
  bootstrapServers?: string
  zookeeper?: string
  auth: 'iam' | 'plaintext'
  mirror?: string
  artifactsFile?: string
  endpoint?: string
  bucket?: string
  roleName?: string
  pluginName?: string
  connectorName?: string
  apiName?: string
  restProxyPort: number
  /** db_creds.yaml of the source database (`emulate --source db`, doctor's source layer). */
  dbCreds?: string
  topics?: {pin: string; geo: string; user: string}
  /** Where each explicitly set key came from ("flag --user", "env PINCTL_HOST", "file …", "user file …"). */
  sources: Partial<Record<ConfigKey, string>>
}

export interface ResolveOptions {
  flags?: ConfigInput
  env?: NodeJS.ProcessEnv
  /** --config / PINCTL_CONFIG: replaces the project file when given. */
  configFile?: string
  cwd?: string
  home?: string
  /** One host's entry of an --inventory file: its settings win over every other source, since they name that host. */
  entry?: {source: string; settings: Record<string, unknown>}
}

export function userConfigDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'pinctl')
}

/** The files config resolution reads: the user file, and ./pinctl.json or the one --config / PINCTL_CONFIG names. */
export function configFiles(options: ResolveOptions = {}): {userFile: string; projectFile: string; explicit: boolean} {
  const env = options.env ?? process.env
  const explicit = options.configFile ?? env.PINCTL_CONFIG
  const cwd = options.cwd ?? process.cwd()
  return {
    userFile: join(userConfigDir(env, options.home ?? homedir()), 'config.json'),
    projectFile: explicit ? resolvePath(cwd, explicit) : join(cwd, PROJECT_FILE),
    explicit: Boolean(explicit),
  }
}

/** Precedence: inventory entry > flags > env PINCTL_* (and AWS_*) > project/explicit file > user file > defaults. */
export function resolveConfig(options: ResolveOptions = {}): Config {
  const env = options.env ?? process.env
  const home = options.home ?? homedir()
  const {userFile, projectFile, explicit} = configFiles({...options, env, home})
  const environment = fromEnv(env)
  // Each layer names the source of a key: lowest precedence first.
  const layers: Array<[ConfigInput, (key: ConfigKey) => string]> = [
    [readConfigFile(userFile, false), () => `user file ${userFile}`],
    [readConfigFile(projectFile, explicit), () => `file ${projectFile}`],
    [environment.values, (key) => `env ${environment.names[key]}`],
    [validate(stripUndefined(options.flags ?? {}), 'flags', FLAG_NAMES), (key) => `flag ${FLAG_NAMES[key] ?? key}`],
  ]
  const {entry} = options
  if (entry) layers.push([validate(entry.settings, entry.source), () => entry.source])

  const merged: ConfigInput = {}
  const sources: Config['sources'] = {}
  for (const [layer, sourceOf] of layers) {
    for (const [key, value] of Object.entries(layer) as Array<[ConfigKey, never]>) {
      if (value === undefined) continue
      merged[key] = value
      sources[key] = sourceOf(key)
    }
  }
  return deriveDefaults(merged, sources, {env, home})
}

export function deriveDefaults(
  input: ConfigInput,
  sources: Config['sources'] = {},
  {env = process.env, home = homedir()}: {env?: NodeJS.ProcessEnv; home?: string} = {},
): Config {
  const uid = input.userId
  const keyPairName = input.keyPairName ?? (uid ? `${uid}-key-pair` : undefined)
  return {
    ...input,
    region: input.region ?? 'us-east-1',
    sshPort: input.sshPort ?? 22,
    sshUser: input.sshUser ?? 'ec2-user',
    auth: input.auth ?? 'iam',
    restProxyPort: input.restProxyPort ?? 8082,
    keyPairName,
    keyFile: expandHome(input.keyFile ?? (keyPairName ? join(home, '.ssh', `${keyFileName(keyPairName)}.pem`) : undefined), home),
    knownHostsFile: expandHome(input.knownHostsFile ?? join(userConfigDir(env, home), 'known_hosts'), home)!,
    artifactsFile: expandHome(input.artifactsFile, home),
    dbCreds: expandHome(input.dbCreds, home),
    bucket: input.bucket ?? (uid ? `user-${uid}-bucket` : undefined),
    roleName: input.roleName ?? (uid ? `${uid}-ec2-access-role` : undefined),
    pluginName: input.pluginName ?? (uid ? `${uid}-plugin` : undefined),
    connectorName: input.connectorName ?? (uid ? `${uid}-connector` : undefined),
    apiName: input.apiName ?? uid,
    topics: uid ? {pin: `${uid}.pin`, geo: `${uid}.geo`, user: `${uid}.user`} : undefined,
    sources,
  }
}

/** Key pair names may hold any ASCII: the derived file name keeps only safe characters, so it stays in ~/.ssh. */
export function keyFileName(keyPairName: string): string {
  return keyPairName.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')
}

/**
 * Throws ConfigError naming what the user types when a command needs a setting nothing provided:
 * a setting made from the user id asks for the user id, any other names its flag and variable.
 */
/** The one hint for each setting a command may need and not have (the message names its flag and variable). */
const MISSING_HINTS: Partial<Record<ConfigKey, string>> = {
  userId: 'the user id names the topics, bucket, role, plugin and connector (e.g. --user 12b287eedf6d)',
  host: "the EC2 client's public DNS name; `pinctl init` finds it from the instance",
  keyFile: 'or give a user id or --key-pair, and ~/.ssh/<key-pair>.pem is used',
  roleName: 'the IAM role the client host assumes (default <user>-ec2-access-role)',
  clusterName: 'or --cluster-arn / PINCTL_CLUSTER_ARN; `pinctl init` lists the clusters',
}

/** A setting the command cannot do without; the error names the flag, the variable and `pinctl init`. */
export function requireSetting<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key]
  if (value !== undefined && value !== null && value !== '') return value as NonNullable<Config[K]>
  const wanted = DERIVED_FROM_USER_ID.has(key) && !config.userId ? 'userId' : (key as ConfigKey)
  const ways = [FLAG_NAMES[wanted] && `pass ${FLAG_NAMES[wanted]}`, ENV_NAMES[wanted] && `set ${ENV_NAMES[wanted][0]}`]
  const label = wanted === 'userId' ? 'user id' : `\`${wanted}\``
  const given = ways.filter(Boolean).join(', ')
  throw new ConfigError(
    `no ${label}: ${given ? `${given} or ` : ''}run \`pinctl init\``,
    MISSING_HINTS[wanted] ?? '`pinctl config` shows every setting and where it comes from',
  )
}

function readConfigFile(path: string, mustExist: boolean): ConfigInput {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !mustExist) return {}
    throw new ConfigError(
      `cannot read config file ${path}: ${(error as Error).message}`,
      'check the path given by --config or PINCTL_CONFIG',
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(
      `config file ${path} is not valid JSON: ${(error as Error).message}`,
      'fix the file or run `pinctl init` to write a new one',
    )
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`, 'see the README, "Configuration"')
  }
  return validate(data as Record<string, unknown>, `config file ${path}`)
}

function fromEnv(env: NodeJS.ProcessEnv): {values: ConfigInput; names: Record<string, string>} {
  const raw: Record<string, string> = {}
  const names: Record<string, string> = {}
  for (const [key, candidates] of Object.entries(ENV_NAMES)) {
    const name = candidates.find((candidate) => env[candidate] !== undefined && env[candidate] !== '')
    if (name) {
      raw[key] = env[name]!
      names[key] = name
    }
  }
  return {values: validate(raw, 'environment', names), names}
}

function validate(data: Record<string, unknown>, where: string, names: Record<string, string> = {}): ConfigInput {
  const parsed = configSchema.safeParse(data)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  if (issue.code === 'unrecognized_keys') {
    throw new ConfigError(`unknown setting ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} in ${where}`, hintFor(parsed.error))
  }
  // A flag or variable is named as typed; a key in a file is named as written there.
  const key = String(issue.path[0] ?? '')
  const label = names[key] ?? key
  const place = where === 'flags' ? '' : where === 'environment' ? '' : ` in ${where}`
  throw new ConfigError(`invalid ${label}${place}: ${issue.message}`, hintFor(parsed.error))
}

function hintFor(error: ZodError): string {
  const issue = error.issues[0]
  if (issue.code === 'unrecognized_keys') return `known settings: ${Object.keys(ENV_NAMES).join(', ')}`
  return 'correct the value; `pinctl --help` and the README list every setting'
}

function stripUndefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined))
}

function expandHome(path: string | undefined, home: string): string | undefined {
  if (!path) return path
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path
}
