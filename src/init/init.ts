import type {AwsSettings} from '../aws/clients.js'
import {type InstanceSummary, listRunningInstances} from '../aws/ec2.js'
import {getRole} from '../aws/iam.js'
import {type ClusterRef, listClusters} from '../aws/kafka.js'
import {ENV_NAMES, userIdSchema, configSchema, type ConfigInput, type ConfigKey} from '../config/schema.js'
import {type ConfigWritePlan, type ExistingConfig, planConfigWrite, readExistingConfig, writeConfigAtomically} from '../config/write.js'
import {AwsError, ConfigError} from '../errors.js'
import type {Prompter} from '../ux/prompts.js'

export type {Prompter}

/** What flags answered; every question has one, so init runs without a terminal. */
export interface InitFlags {
  region?: string
  profile?: string
  userId?: string
  /** MSK cluster name. */
  cluster?: string
  /** EC2 instance id or Name tag. */
  instance?: string
  /** A host name instead of an instance lookup. */
  host?: string
  sshUser?: string
  keyPairName?: string
  roleName?: string
}

export interface InitOptions {
  flags: InitFlags
  destination: string
  force?: boolean
  env?: NodeJS.ProcessEnv
  /** Absent: non-interactive (no terminal, or --yes): defaults are taken, a missing answer is an error. */
  prompter?: Prompter
  /** Called with the plan before anything is written, so the caller can show the diff. */
  onPlan?: (plan: ConfigWritePlan) => void
  onProgress?: (message: string) => void
}

export interface InitResult {
  file: string
  status: 'created' | 'unchanged' | 'replaced' | 'kept'
  config: ConfigInput
  cluster?: ClusterRef
  instance?: Pick<InstanceSummary, 'id' | 'name' | 'publicDns' | 'publicIp' | 'keyName'>
  diff?: string
  warnings: string[]
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/

function fromEnv(key: ConfigKey, env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ENV_NAMES[key]) if (env[name]) return env[name]
  return undefined
}

function validator(key: ConfigKey): (value: string) => true | string {
  return (value) => {
    const parsed = configSchema.shape[key].safeParse(value)
    return parsed.success ? true : (parsed.error.issues[0]?.message ?? 'invalid')
  }
}

function checked(key: ConfigKey, value: string, flag: string): string {
  const verdict = validator(key)(value)
  if (verdict !== true) throw new ConfigError(`invalid ${flag} ${JSON.stringify(value)}: ${verdict}`, `correct ${flag}`)
  return value
}

function missing(what: string, flag: string, extra = ''): ConfigError {
  return new ConfigError(`no ${what} given`, `pass ${flag}${extra}; without a terminal (or with --yes) init asks nothing`)
}

/** Asks, or takes the first candidate in order flag > environment > existing file > discovered default. */
async function ask(
  prompter: Prompter | undefined,
  question: {message: string; key: ConfigKey; flag: string; given?: string; fallback?: string; optional?: boolean; extra?: string},
): Promise<string | undefined> {
  if (question.given !== undefined && question.given !== '') return checked(question.key, question.given, question.flag)
  if (prompter) {
    const answer = await prompter.input({
      message: question.message,
      default: question.fallback,
      validate: (value) => (value === '' && question.optional ? true : validator(question.key)(value)),
    })
    return answer === '' ? undefined : answer
  }
  if (question.fallback !== undefined) return checked(question.key, question.fallback, question.flag)
  if (question.optional) return undefined
  throw missing(question.message.replace(/\?$/, '').toLowerCase(), question.flag, question.extra)
}

async function chooseCluster(
  aws: AwsSettings,
  wanted: string | undefined,
  fallback: string | undefined,
  prompter?: Prompter,
): Promise<ClusterRef> {
  const clusters = await listClusters(aws)
  if (wanted) {
    const found = clusters.find((cluster) => cluster.name === wanted || cluster.arn === wanted)
    if (found) return found
    throw new ConfigError(
      `no MSK cluster named ${JSON.stringify(wanted)} in ${aws.region}`,
      clusters.length > 0 ? `clusters there: ${clusters.map((cluster) => cluster.name).join(', ')}` : 'check --region and --profile',
    )
  }
  if (clusters.length === 0)
    throw new ConfigError(
      `no MSK cluster in ${aws.region}`,
      'check --region and --profile (the cluster must exist before init), or pass --cluster',
    )
  const preferred = clusters.find((cluster) => cluster.name === fallback)
  if (prompter) {
    return prompter.select({
      message: 'MSK cluster',
      choices: clusters.map((cluster) => ({name: `${cluster.name} (${cluster.state})`, value: cluster, description: cluster.arn})),
      default: preferred ?? clusters[0],
    })
  }
  if (preferred) return preferred
  if (clusters.length === 1) return clusters[0]
  throw missing('MSK cluster', '--cluster', ` (one of: ${clusters.map((cluster) => cluster.name).join(', ')})`)
}

function pickInstance({id, name, publicDns, publicIp, keyName}: InstanceSummary): InitResult['instance'] {
  return {id, name, publicDns, publicIp, keyName}
}

function instanceLabel(instance: InstanceSummary): string {
  return `${instance.name ?? '(no Name tag)'}  ${instance.id}  ${instance.publicDns ?? instance.publicIp ?? 'no public address'}`
}

function hostOf(instance: InstanceSummary, warnings: string[]): string {
  const host = instance.publicDns ?? instance.publicIp
  if (host) return host
  const inside = instance.privateDns ?? instance.privateIp
  if (!inside) throw new ConfigError(`instance ${instance.id} has no address`, 'start it, or pass --host')
  warnings.push(`instance ${instance.id} has no public address: using ${inside}, reachable only from inside its VPC (or pass --host)`)
  return inside
}

async function chooseInstance(
  aws: AwsSettings,
  wanted: string | undefined,
  currentHost: string | undefined,
  prompter?: Prompter,
): Promise<InstanceSummary> {
  const instances = await listRunningInstances(aws)
  if (wanted) {
    const matches = instances.filter((instance) => instance.id === wanted || instance.name === wanted)
    if (matches.length === 1) return matches[0]
    if (matches.length > 1)
      throw new ConfigError(
        `${matches.length} running instances are named ${JSON.stringify(wanted)}`,
        `pass the instance id: ${matches.map((instance) => instance.id).join(', ')}`,
      )
    throw new ConfigError(
      `no running EC2 instance ${JSON.stringify(wanted)} in ${aws.region}`,
      instances.length > 0
        ? `running there: ${instances.map(instanceLabel).join('; ')}`
        : 'start the instance (it must be running), and check --region',
    )
  }
  if (instances.length === 0)
    throw new ConfigError(`no running EC2 instance in ${aws.region}`, 'start the client instance, check --region, or pass --host')
  const preferred = instances.find(
    (instance) =>
      currentHost !== undefined && [instance.publicDns, instance.publicIp, instance.privateDns, instance.privateIp].includes(currentHost),
  )
  if (prompter) {
    return prompter.select({
      message: 'EC2 client instance',
      choices: instances.map((instance) => ({
        name: instanceLabel(instance),
        value: instance,
        description: `key pair ${instance.keyName ?? '(none)'}, ${instance.type ?? ''}`,
      })),
      default: preferred ?? instances[0],
    })
  }
  if (preferred) return preferred
  if (instances.length === 1) return instances[0]
  throw missing('EC2 instance', '--instance', ` (id or Name tag; running: ${instances.map(instanceLabel).join('; ')})`)
}

/**
 * A lookup that failed for want of AWS (no credentials, no network): with the value given as a
 * flag, init says what it could not check and writes it anyway; without one it names the flag.
 */
async function orGiven<T>(
  lookup: Promise<T>,
  given: string | undefined,
  what: string,
  flag: string,
  warnings: string[],
): Promise<T | undefined> {
  try {
    return await lookup
  } catch (error) {
    if (!(error instanceof AwsError)) throw error
    if (given === undefined) {
      const fix = `pass ${flag}, or fix AWS access (${error.hint ?? 'see `pinctl doctor`'})`
      throw new ConfigError(`no ${what} given, and AWS could not be asked: ${error.message}`, fix)
    }
    warnings.push(`could not check ${what} ${given} (${error.message}): written as given`)
    return undefined
  }
}

/**
 * The wizard: region/profile, user id, MSK cluster, EC2 instance (host and key pair), role. The
 * answers are merged into the existing file's settings, validated, and written atomically; a
 * differing file is replaced only with --force (or a yes on the terminal), after showing the diff.
 */
export async function runInit(options: InitOptions): Promise<InitResult> {
  const env = options.env ?? process.env
  const {flags, prompter} = options
  const existing: ExistingConfig = readExistingConfig(options.destination)
  const current = existing.data ?? {}
  const warnings: string[] = []
  if (existing.problem) warnings.push(`${options.destination} is ${existing.problem}: it will be replaced, not merged`)

  const region = (await ask(prompter, {
    message: 'AWS region',
    key: 'region',
    flag: '--region',
    given: flags.region,
    fallback: fromEnv('region', env) ?? current.region ?? 'us-east-1',
  }))!
  if (!REGION.test(region)) throw new ConfigError(`invalid --region ${region}`, 'e.g. us-east-1')
  const profile = await ask(prompter, {
    message: 'AWS profile (empty: the default credential chain)',
    key: 'profile',
    flag: '--profile',
    given: flags.profile,
    fallback: fromEnv('profile', env) ?? current.profile,
    optional: true,
  })
  const userId = (await ask(prompter, {
    message: 'User id',
    key: 'userId',
    flag: '--user',
    given: flags.userId,
    fallback: fromEnv('userId', env) ?? current.userId,
    extra: ' (e.g. --user 12b287eedf6d)',
  }))!
  if (!userIdSchema.safeParse(userId).success) throw new ConfigError(`invalid --user ${userId}`, 'e.g. 12b287eedf6d')

  const aws: AwsSettings = {region, profile, endpoint: env.PINCTL_ENDPOINT_URL || env.AWS_ENDPOINT_URL || current.endpoint}
  const knownHost = flags.host ?? (!prompter && !flags.instance ? (fromEnv('host', env) ?? current.host) : undefined)
  const knownKeyPair = flags.keyPairName ?? fromEnv('keyPairName', env) ?? current.keyPairName
  // Everything given (a script, or no AWS access yet): nothing to discover, so no AWS call at all.
  const offline = !prompter && Boolean(flags.cluster && knownHost && knownKeyPair)
  let cluster: ClusterRef | undefined
  if (offline) {
    options.onProgress?.('every value was given: no AWS lookup (`pinctl doctor` checks the cluster, host and role)')
  } else {
    options.onProgress?.(`listing MSK clusters in ${region}`)
    const lookup = chooseCluster(aws, flags.cluster, fromEnv('clusterName', env) ?? current.clusterName, prompter)
    cluster = await orGiven(lookup, flags.cluster, 'MSK cluster', '--cluster', warnings)
    if (cluster && cluster.state !== 'ACTIVE') warnings.push(`cluster ${cluster.name} is ${cluster.state}, not ACTIVE yet`)
  }
  const clusterName = cluster?.name ?? flags.cluster!

  let instance: InstanceSummary | undefined
  let host: string
  if (knownHost) {
    host = checked('host', knownHost, '--host')
  } else {
    options.onProgress?.(`listing running EC2 instances in ${region}`)
    const lookup = chooseInstance(aws, flags.instance, fromEnv('host', env) ?? current.host, prompter)
    instance = await orGiven(lookup, undefined, 'host', '--host', warnings)
    host = hostOf(instance!, warnings)
  }

  const keyPairName = (await ask(prompter, {
    message: 'Key pair name',
    key: 'keyPairName',
    flag: '--key-pair',
    given: flags.keyPairName,
    fallback: instance?.keyName ?? fromEnv('keyPairName', env) ?? current.keyPairName ?? `${userId}-key-pair`,
  }))!
  if (instance && !instance.keyName)
    warnings.push(`instance ${instance.id} was launched without a key pair: SSH with ${keyPairName} will not work`)
  else if (instance?.keyName && instance.keyName !== keyPairName)
    warnings.push(`instance ${instance.id} was launched with key pair ${instance.keyName}, not ${keyPairName}`)

  const roleName = (await ask(prompter, {
    message: 'IAM role of the EC2 client',
    key: 'roleName',
    flag: '--role',
    given: flags.roleName,
    fallback: fromEnv('roleName', env) ?? current.roleName ?? `${userId}-ec2-access-role`,
  }))!
  try {
    if (!offline) await getRole(aws, roleName)
  } catch (error) {
    if (error instanceof ConfigError) warnings.push(`IAM role ${roleName} does not exist (yet): \`pinctl doctor\` will report it`)
    else if (error instanceof AwsError) warnings.push(`could not check IAM role ${roleName}: ${error.message}`)
    else throw error
  }

  const config: ConfigInput = {
    ...current,
    region,
    ...(profile ? {profile} : {}),
    userId,
    clusterName,
    host,
    ...(flags.sshUser ? {sshUser: checked('sshUser', flags.sshUser, '--ssh-user')} : {}),
    keyPairName,
    roleName,
  }
  if (!profile) delete config.profile
  // A stale ARN would win over the chosen name when pinctl looks the cluster up.
  if (config.clusterArn && config.clusterArn !== cluster?.arn) delete config.clusterArn
  if (config.bootstrapServers) {
    warnings.push(`bootstrapServers in ${options.destination} overrides the brokers MSK reports for ${clusterName}`)
  }

  const plan = planConfigWrite(options.destination, config, existing)
  options.onPlan?.(plan)
  const summary = {
    file: options.destination,
    config,
    ...(cluster ? {cluster} : {}),
    ...(instance ? {instance: pickInstance(instance)} : {}),
    ...(plan.diff ? {diff: plan.diff} : {}),
    warnings,
  }
  if (plan.status === 'unchanged') return {...summary, status: 'unchanged'}
  if (plan.status === 'replace' && !options.force) {
    if (!prompter) {
      throw new ConfigError(
        `${options.destination} exists and differs from what init would write (diff above)`,
        'rerun with --force to replace it, or write elsewhere with --config',
      )
    }
    const replace = await prompter.confirm({message: `Replace ${options.destination}?`, default: false})
    if (!replace) return {...summary, status: 'kept'}
  }
  writeConfigAtomically(options.destination, plan.text)
  return {...summary, status: plan.status === 'create' ? 'created' : 'replaced'}
}
