import {awsSettings, type AwsSettings, type AwsClientProvider} from '../aws/clients.js'
import {getRole} from '../aws/iam.js'
import {bootstrapBrokers, describeCluster, type ClusterInfo} from '../aws/kafka.js'
import {clusterArnFor} from '../kafka/cluster.js'
import {describeConnector, describeCustomPlugin} from '../aws/kafkaconnect.js'
import {getObjectText, listObjects} from '../aws/s3.js'
import {getCallerIdentity} from '../aws/sts.js'
import type {Config} from '../config/resolve.js'
import {findConnector} from '../connect/connector.js'
import {findPlugin} from '../connect/plugin.js'
import {InterruptedError} from '../errors.js'
import {parseFacts, type HostFacts} from '../host/facts.js'
import {knownKeyTypes, readKnownHosts} from '../ssh/known-hosts.js'
import {shellQuote} from '../ssh/quote.js'
import {type HostSession, type SessionOpener, SshSession} from '../ssh/session.js'
import {sshTarget} from '../ssh/target.js'
import {evaluateTopicListing, LIST_TIMEOUT_SECONDS, listTopicsScript} from './auth.js'
import {evaluateBootstrap, evaluateCluster, evaluateRole} from './aws.js'
import {
  type Check,
  checkFromError,
  type DoctorReport,
  type LayerName,
  layerSpec,
  layersToRun,
  type LayerSpec,
  skipLayer,
  summarize,
  unmetNeeds,
} from './checks.js'
import {evaluateHostFacts, type HostContext} from './host.js'
import {type DoctorProbe, hostProbeScript, parseDoctorProbe} from './host-probe.js'
import {evaluateConfig, evaluateCredentials, evaluateKeyFile, readKeyFileState} from './local.js'
import {brokerProbeScript, evaluateBrokers, parseBrokerProbe} from './network.js'
import {
  type ConnectState,
  countObjectsByTopic,
  evaluateConnector,
  evaluateObjects,
  evaluatePlugin,
  evaluateSampleValues,
} from './pipeline.js'
import {evaluateRestProxy} from './rest-proxy.js'
import {sourceChecks} from './source.js'
import {evaluateReachable, evaluateSshConnect, probeTcp} from './ssh.js'

export interface DoctorOptions {
  /** The resolved config, or undefined with `configError` when resolving it failed. */
  config?: Config
  configError?: unknown
  /** Only these layers (and what they depend on); all when empty. */
  layers?: LayerName[]
  signal?: AbortSignal
  listTimeoutSeconds?: number
  onLayerStart?: (layer: LayerSpec) => void
  onLayer?: (layer: LayerSpec, checks: Check[]) => void
  /** How the SSH connection is opened (a fake session in unit tests). */
  openSession?: SessionOpener
  /** AWS clients to use instead of the SDK's (fakes in unit tests). */
  awsClients?: AwsClientProvider
}

/** What one layer leaves for the next: settings, AWS answers, the SSH session, the host facts. */
interface State {
  options: DoctorOptions
  config?: Config
  aws?: AwsSettings
  cluster?: ClusterInfo
  bootstrap?: string
  roleArn?: string
  session?: HostSession
  facts?: HostFacts
  probe?: DoctorProbe
  checks: Check[]
}

type Gather = (state: State) => Promise<Check[]>

const skip = (layer: LayerName, name: string, detail: string): Check => ({layer, name, status: 'skip', detail})

async function attempt<T>(work: () => Promise<T>): Promise<{value?: T; error?: unknown}> {
  try {
    return {value: await work()}
  } catch (error) {
    return {error}
  }
}

const GATHER: Record<LayerName, Gather> = {
  async local(state) {
    const {config, configError} = state.options
    const checks = [evaluateConfig(config, configError)]
    if (!config || configError) {
      checks.push(skip('local', 'credentials', 'needs a valid config (region, profile)'), skip('local', 'key-file', 'needs a valid config'))
      return checks
    }
    state.config = config
    state.aws = awsSettings(config, state.options.awsClients)
    const identity = await attempt(() => getCallerIdentity(state.aws!))
    checks.push(evaluateCredentials(identity.value, identity.error))
    checks.push(evaluateKeyFile(readKeyFileState(config.keyFile), config.keyPairName))
    return checks
  },

  async aws(state) {
    const config = state.config!
    const aws = state.aws!
    const checks: Check[] = []
    if (config.clusterArn || config.clusterName) {
      const found = await attempt(async () => describeCluster(aws, await clusterArnFor(aws, config)))
      state.cluster = found.value
      checks.push(evaluateCluster(found.value, found.error))
    } else if (config.bootstrapServers) {
      checks.push(skip('aws', 'cluster', 'no MSK cluster configured; the bootstrap servers come from the config'))
    } else {
      checks.push({
        layer: 'aws',
        name: 'cluster',
        status: 'fail',
        detail: 'no MSK cluster and no bootstrap servers configured',
        fix: 'set clusterName / PINCTL_CLUSTER (`pinctl init` finds it), or bootstrapServers / --bootstrap-servers',
      })
    }
    if (config.bootstrapServers) {
      state.bootstrap = config.bootstrapServers
      checks.push(evaluateBootstrap({servers: config.bootstrapServers, source: 'config'}))
    } else if (state.cluster && checks[0].status !== 'fail') {
      const brokers = await attempt(() => bootstrapBrokers(aws, state.cluster!.arn, config.auth))
      state.bootstrap = brokers.value
      checks.push(evaluateBootstrap({servers: brokers.value, source: 'msk', error: brokers.error}))
    } else {
      checks.push(skip('aws', 'bootstrap', 'needs aws/cluster'))
    }
    const roleName = config.roleName!
    const role = await attempt(() => getRole(aws, roleName))
    state.roleArn = role.value?.arn
    checks.push(...evaluateRole(role.value, roleName, config.auth, role.error))
    return checks
  },

  async ssh(state) {
    const config = state.config!
    if (!config.host) {
      return [
        {
          layer: 'ssh',
          name: 'reachable',
          status: 'fail',
          detail: 'no host configured',
          fix: "set the EC2 client's public DNS: --host, PINCTL_HOST or `host` in the config (`pinctl init` writes it)",
        },
        skip('ssh', 'host-key', 'needs ssh/reachable'),
        skip('ssh', 'login', 'needs ssh/reachable'),
      ]
    }
    const target = sshTarget(config)
    const reachable = evaluateReachable(await probeTcp(target.host, target.port), target)
    if (reachable.status !== 'ok')
      return [reachable, skip('ssh', 'host-key', 'needs ssh/reachable'), skip('ssh', 'login', 'needs ssh/reachable')]
    const known = readKnownHosts([...(target.systemKnownHosts ?? []), target.knownHostsFile])
    const knownBefore = knownKeyTypes(known, target.host, target.port).length > 0
    const notes: string[] = []
    const open = state.options.openSession ?? SshSession.open
    const session = await attempt(() => open({...target, readyTimeoutMs: 15_000}, (note) => notes.push(note)))
    state.session = session.value
    return [
      reachable,
      ...evaluateSshConnect({error: session.error, knownBefore, notes, knownHostsFile: target.knownHostsFile, user: target.user}),
    ]
  },

  async host(state) {
    const result = await state.session!.exec(`sh -c ${shellQuote(hostProbeScript(state.config!.restProxyPort))}`)
    if (!/^home=/m.test(result.stdout)) {
      return [
        {
          layer: 'host',
          name: 'facts',
          status: 'fail',
          detail: `the facts probe failed (exit ${result.code}): ${result.stderr.trim().split('\n').at(-1) ?? ''}`,
          fix: 'the host needs a POSIX sh; run `pinctl ssh -- sh -c true` to see what happens',
        },
      ]
    }
    state.facts = parseFacts(result.stdout)
    state.probe = parseDoctorProbe(result.stdout)
    return evaluateHostFacts(state.facts, state.probe, hostContext(state))
  },

  async network(state) {
    if (!state.bootstrap) {
      const why = state.checks.find((check) => check.layer === 'aws' && check.name === 'bootstrap')
      return [skip('network', 'brokers', `no bootstrap servers${why ? ` (aws/bootstrap: ${why.detail})` : ''}`)]
    }
    const result = await state.session!.exec(brokerProbeScript(state.bootstrap))
    return evaluateBrokers(parseBrokerProbe(state.bootstrap, result.stdout), {
      securityGroups: state.cluster?.securityGroups,
      auth: state.config!.auth,
    })
  },

  async auth(state) {
    const timeout = state.options.listTimeoutSeconds ?? LIST_TIMEOUT_SECONDS
    const result = await state.session!.exec(listTopicsScript(state.bootstrap!, timeout))
    const topics = state.config!.topics
    return evaluateTopicListing(result, {topics: topics ? [topics.pin, topics.geo, topics.user] : undefined, timeoutSeconds: timeout})
  },

  async 'rest-proxy'(state) {
    if (!state.facts || !state.probe) return [skip('rest-proxy', 'rest-proxy', 'needs the host facts')]
    return evaluateRestProxy(state.facts, state.probe, hostContext(state))
  },

  async connector(state) {
    const config = state.config!
    const aws = state.aws!
    const pluginName = config.pluginName!
    const connectorName = config.connectorName!
    const plugin = await attempt(() => findPlugin(aws, pluginName))
    if (plugin.error) {
      if (isUnreachable(plugin.error)) {
        const why = `MSK Connect is not reachable: ${(plugin.error as Error).message}`
        return [skip('connector', 'plugin', why), skip('connector', 'connector', why)]
      }
      return [checkFromError('connector', 'plugin', plugin.error), skip('connector', 'connector', 'needs connector/plugin')]
    }
    const pluginState: ConnectState = {name: pluginName, state: plugin.value?.customPluginState ?? 'ABSENT'}
    if (plugin.value?.customPluginArn && pluginState.state === 'CREATE_FAILED') {
      const described = await attempt(() => describeCustomPlugin(aws, plugin.value!.customPluginArn!))
      pluginState.reason = described.value?.stateDescription?.message
    }
    const checks = [evaluatePlugin(pluginState)]
    const connector = await attempt(async () => {
      const found = await findConnector(aws, connectorName)
      return found?.connectorArn ? describeConnector(aws, found.connectorArn) : undefined
    })
    if (connector.error) {
      checks.push(checkFromError('connector', 'connector', connector.error))
      return checks
    }
    checks.push(
      evaluateConnector(
        {
          name: connectorName,
          state: connector.value?.connectorState ?? 'ABSENT',
          reason: connector.value?.stateDescription?.message,
          topicsRegex: connector.value?.connectorConfiguration?.['topics.regex'],
        },
        config.userId!,
      ),
    )
    return checks
  },

  async s3(state) {
    const config = state.config!
    const aws = state.aws!
    const bucket = config.bucket!
    const topics = config.topics!
    const listing = await attempt(() => listObjects(aws, bucket, `topics/${config.userId}.`, {limit: 10_000, signal: state.options.signal}))
    if (listing.error) return [checkFromError('s3', 'bucket', listing.error), skip('s3', 'objects', 'needs s3/bucket')]
    const counts = countObjectsByTopic(listing.value!.objects)
    const names = [topics.pin, topics.geo, topics.user]
    const checks: Check[] = [
      {layer: 's3', name: 'bucket', status: 'ok', detail: `s3://${bucket} readable`},
      evaluateObjects(bucket, names, counts, listing.value!.truncated),
    ]
    const newest = names.map((topic) => counts.get(topic)?.newest).filter((entry) => entry !== undefined)
    if (newest.length === 0) return checks
    const samples = await attempt(() =>
      Promise.all(newest.map(async (entry) => ({key: entry.key, text: await getObjectText(aws, bucket, entry.key, 4096)}))),
    )
    checks.push(samples.error ? checkFromError('s3', 'values', samples.error) : evaluateSampleValues(samples.value!))
    return checks
  },

  source: (state) => sourceChecks(state.config!),
}

function hostContext(state: State): HostContext {
  return {
    auth: state.config!.auth,
    roleArn: state.roleArn,
    bootstrapServers: state.bootstrap ?? state.config!.bootstrapServers,
    restProxyPort: state.config!.restProxyPort,
  }
}

/** An endpoint that is not there or is not MSK Connect (moto has none): the connector layer is skipped, not failed. */
function isUnreachable(error: unknown): boolean {
  return /cannot reach the AWS endpoint|did not answer like MSK Connect|NotImplemented|UnknownOperation/i.test(
    (error as Error)?.message ?? '',
  )
}

/**
 * Runs the layers in order; a layer whose needs failed is reported as skipped with the reason.
 * One SSH connection serves every host-side layer and is closed at the end.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const state: State = {options, checks: []}
  // Ctrl-C closes the connection, so a remote command in flight (a slow kafka-topics.sh) stops waiting.
  const onAbort = () => void state.session?.dispose()
  options.signal?.addEventListener('abort', onAbort, {once: true})
  try {
    for (const name of layersToRun(options.layers)) {
      if (options.signal?.aborted) throw new InterruptedError()
      const spec = layerSpec(name)
      const unmet = unmetNeeds(name, state.checks)
      let checks: Check[]
      if (unmet) {
        checks = [skipLayer(name, unmet)]
      } else {
        options.onLayerStart?.(spec)
        try {
          checks = await GATHER[name](state)
        } catch (error) {
          checks = [checkFromError(name, name, error)]
        }
      }
      state.checks.push(...checks)
      options.onLayer?.(spec, checks)
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    await state.session?.dispose()
  }
  const {checks, ok} = summarize(state.checks)
  return {checks, ok}
}
