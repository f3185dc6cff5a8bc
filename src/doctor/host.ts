import {CONFLUENT_DIR, iamJarFor, KAFKA_DIR, PINNED} from '../artifacts.js'
import type {HostFacts} from '../host/facts.js'
import type {Check} from './checks.js'
import {classpathEntries, classpathValues, findIamJar, iamJarVersion, jarNeedsJava17} from './classpath.js'
import type {DoctorProbe} from './host-probe.js'
import {editDistance, parseProperties} from './properties.js'

/** What the host and REST proxy checks compare the host against. */
export interface HostContext {
  auth: 'iam' | 'plaintext'
  /** The role's ARN when the aws layer found it: client.properties must name the same one. */
  roleArn?: string
  /** The brokers the aws layer settled on: kafka-rest.properties should point at the same ones. */
  bootstrapServers?: string
  restProxyPort: number
}

const SETUP = (steps: string) => `\`pinctl setup-client --only ${steps}\``

function check(name: string, status: Check['status'], detail: string, fix?: string): Check {
  return {layer: 'host', name, status, detail, ...(fix ? {fix} : {})}
}

function evaluateJava(facts: HostFacts): Check {
  if (facts.javaMajor === undefined) {
    return check(
      'java',
      'fail',
      'no java on the PATH of the SSH user',
      `${SETUP('java')} installs it with ${facts.packageManager ?? 'the package manager'}`,
    )
  }
  if (facts.javaMajor < 8)
    return check('java', 'fail', `Java ${facts.javaMajor} is too old for Kafka 2.8.1 (needs 8 or 11+)`, SETUP('java'))
  return check('java', 'ok', `Java ${facts.javaMajor} (${facts.javaVersion})`)
}

function evaluateIamJar(facts: HostFacts, ctx: HostContext): Check {
  const jars = facts.iamJars
  const needed = ctx.auth === 'iam'
  if (jars.length === 0) {
    return check(
      'iam-jar',
      needed ? 'fail' : 'warn',
      `no aws-msk-iam-auth jar in ~/${KAFKA_DIR}/libs` +
        (needed
          ? ': IAM auth fails with ClassNotFoundException: IAMLoginModule'
          : ' (auth=plaintext does not use it, but MSK with IAM does)'),
      SETUP('iam-jar,classpath,rest-proxy'),
    )
  }
  const wanted = facts.javaMajor === undefined ? undefined : PINNED[iamJarFor(facts.javaMajor)].name
  for (const jar of jars) {
    const parsed = iamJarVersion(jar)
    if (parsed && facts.javaMajor !== undefined && facts.javaMajor < 17 && jarNeedsJava17(parsed.version)) {
      return check(
        'iam-jar',
        'fail',
        `${jar} is built for Java 17 (class file version 61.0) but the host runs Java ${facts.javaMajor}: UnsupportedClassVersionError`,
        `${SETUP('iam-jar,classpath,rest-proxy')} replaces it with ${wanted} (2.3.4 is the newest built for Java 8/11), or install Java 17`,
      )
    }
  }
  if (jars.length > 1) {
    return check(
      'iam-jar',
      'warn',
      `${jars.length} IAM jars in libs/ (${jars.join(', ')}): which one loads depends on classpath order`,
      `${SETUP('iam-jar')} keeps exactly one`,
    )
  }
  const parsed = iamJarVersion(jars[0])
  if (parsed && !parsed.all) {
    return check(
      'iam-jar',
      needed ? 'fail' : 'warn',
      `${jars[0]} is the thin jar: without the AWS SDK classes it needs (the -all jar bundles them) it fails with NoClassDefFoundError`,
      `${SETUP('iam-jar')} installs the -all jar`,
    )
  }
  return check('iam-jar', 'ok', `${jars[0]}${facts.javaMajor !== undefined ? ` (runs on Java ${facts.javaMajor})` : ''}`)
}

function evaluateClientProperties(facts: HostFacts, ctx: HostContext): Check {
  const text = facts.files.clientProperties
  const path = `~/${KAFKA_DIR}/bin/client.properties`
  if (text === undefined) {
    return check(
      'client-properties',
      'fail',
      `${path} missing: kafka tools run with --command-config fail, without it they time out`,
      SETUP('client-properties'),
    )
  }
  const props = parseProperties(text)
  const protocol = props.get('security.protocol') ?? 'PLAINTEXT'
  const problems: string[] = []
  if (ctx.auth === 'iam') {
    if (protocol !== 'SASL_SSL') problems.push(`security.protocol=${protocol} but IAM needs SASL_SSL (brokers on 9098)`)
    if (props.get('sasl.mechanism') !== 'AWS_MSK_IAM')
      problems.push(`sasl.mechanism=${props.get('sasl.mechanism') ?? '(unset)'} but IAM needs AWS_MSK_IAM`)
    const jaas = props.get('sasl.jaas.config') ?? ''
    if (!jaas.includes('software.amazon.msk.auth.iam.IAMLoginModule'))
      problems.push('sasl.jaas.config does not use software.amazon.msk.auth.iam.IAMLoginModule')
    const arn = /awsRoleArn="([^"]*)"/.exec(jaas)?.[1]
    if (arn && ctx.roleArn && arn !== ctx.roleArn) problems.push(`awsRoleArn is ${arn} but the role is ${ctx.roleArn}`)
    if (!(props.get('sasl.client.callback.handler.class') ?? '').includes('IAMClientCallbackHandler')) {
      problems.push('sasl.client.callback.handler.class is not software.amazon.msk.auth.iam.IAMClientCallbackHandler')
    }
  } else if (protocol !== 'PLAINTEXT') {
    problems.push(`security.protocol=${protocol} but auth is plaintext (PLAINTEXT listener)`)
  }
  if (problems.length > 0) {
    return check(
      'client-properties',
      'fail',
      `${path}: ${problems.join('; ')}`,
      `${SETUP('client-properties')} rewrites it for auth=${ctx.auth} (a .bak of yours is kept); if auth is wrong, set auth / PINCTL_AUTH`,
    )
  }
  return check('client-properties', 'ok', `${path}: security.protocol=${protocol}${ctx.auth === 'iam' ? ', AWS_MSK_IAM' : ''}`)
}

function evaluateBashrcClasspath(facts: HostFacts, probe: DoctorProbe, ctx: HostContext): Check {
  const values = classpathValues(facts.classpathLines.join('\n'))
  if (values.length === 0) {
    return check(
      'classpath',
      'warn',
      "~/.bashrc exports no CLASSPATH with the IAM jar (Kafka's own tools add libs/* themselves; the seed added it for everything else " +
        'started from a login shell)',
      SETUP('classpath'),
    )
  }
  const jar = findIamJar(classpathEntries(values, facts.home), probe.iamJarPaths)
  if (!jar) {
    return check(
      'classpath',
      ctx.auth === 'iam' ? 'fail' : 'warn',
      `~/.bashrc sets CLASSPATH=${values.at(-1)}, which names no existing IAM jar: programs started from a login shell get ` +
        `ClassNotFoundException: IAMLoginModule`,
      SETUP('iam-jar,classpath'),
    )
  }
  if (facts.classpathLines.length > 1)
    return check(
      'classpath',
      'warn',
      `~/.bashrc exports CLASSPATH ${facts.classpathLines.length} times; the last one wins`,
      SETUP('classpath'),
    )
  return check('classpath', 'ok', `~/.bashrc: CLASSPATH=${values[0]}`)
}

function evaluateServiceClasspath(facts: HostFacts, probe: DoctorProbe, ctx: HostContext): Check {
  const needed = ctx.auth === 'iam'
  const where = facts.systemd ? '/etc/systemd/system/kafka-rest.service' : '~/.pinctl/kafka-rest.env'
  const text = facts.systemd ? facts.files.serviceUnit : facts.files.serviceEnv
  if (text === undefined) {
    return check(
      'rest-classpath',
      needed ? 'fail' : 'warn',
      `no REST proxy service environment (${where}): a proxy started without it has no IAM jar on its ` +
        `classpath${needed ? ' (ClassNotFoundException: IAMLoginModule)' : ''}`,
      '`pinctl rest-proxy start` installs the service with CLASSPATH in its environment',
    )
  }
  const values = classpathValues(text)
  if (values.length === 0) {
    return check(
      'rest-classpath',
      needed ? 'fail' : 'warn',
      `${where} sets no CLASSPATH: the REST proxy does not add Kafka's libs/ and a ~/.bashrc export does not reach a ` +
        `service${needed ? ' — ClassNotFoundException: IAMLoginModule' : ''}`,
      '`pinctl rest-proxy start` rewrites the service environment and restarts the proxy',
    )
  }
  const jar = findIamJar(classpathEntries(values, facts.home), probe.iamJarPaths)
  if (!jar) {
    return check(
      'rest-classpath',
      needed ? 'fail' : 'warn',
      `${where} sets CLASSPATH=${values.at(-1)}, which names no existing IAM ` +
        `jar${needed ? ': the proxy fails with ClassNotFoundException: IAMLoginModule' : ''}`,
      SETUP('iam-jar,rest-proxy'),
    )
  }
  return check('rest-classpath', 'ok', `${where}: CLASSPATH=${values.at(-1)}`)
}

const SASL_KEYS = ['security.protocol', 'sasl.mechanism', 'sasl.jaas.config', 'sasl.client.callback.handler.class']

function sameBrokers(a: string, b: string): boolean {
  const norm = (list: string) =>
    list
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .sort()
      .join(',')
  return norm(a) === norm(b)
}

function evaluateRestProperties(facts: HostFacts, ctx: HostContext): Check {
  const path = `~/${CONFLUENT_DIR}/etc/kafka-rest/kafka-rest.properties`
  const text = facts.files.restProperties
  if (text === undefined) return check('rest-properties', 'fail', `${path} missing`, '`pinctl rest-proxy start` writes it')
  const props = parseProperties(text)
  const fails: string[] = []
  const warns: string[] = []
  const bootstrap = props.get('bootstrap.servers')
  if (bootstrap === undefined) {
    const misspelt = [...props.keys()].filter(
      (key) => key !== 'bootstrap.servers' && (editDistance(key.toLowerCase(), 'bootstrap.servers') <= 3 || /boo\w*strap/i.test(key)),
    )
    fails.push(
      misspelt.length > 0
        ? `no bootstrap.servers — found ${misspelt.map((key) => JSON.stringify(key)).join(', ')} instead (misspelt, as in the seed), so ` +
            `the proxy has no brokers`
        : 'no bootstrap.servers: the proxy has no brokers to talk to',
    )
  } else if (ctx.bootstrapServers && !sameBrokers(bootstrap, ctx.bootstrapServers)) {
    warns.push(`bootstrap.servers=${bootstrap} differs from the cluster's ${ctx.bootstrapServers}`)
  }
  const unprefixed = SASL_KEYS.filter((key) => props.has(key))
  if (ctx.auth === 'iam') {
    const missing = SASL_KEYS.filter((key) => !props.has(`client.${key}`))
    if (missing.length > 0 && unprefixed.length > 0) {
      fails.push(
        `the SASL settings lack the client. prefix (${unprefixed.join(', ')}): the proxy's Kafka clients only read client.*, so they ` +
          `connect without IAM auth and time out`,
      )
    } else if (missing.length > 0) {
      fails.push(`no ${missing.map((key) => `client.${key}`).join(', ')}: the proxy's Kafka clients connect without IAM auth`)
    } else {
      if (props.get('client.security.protocol') !== 'SASL_SSL')
        fails.push(`client.security.protocol=${props.get('client.security.protocol')} but IAM needs SASL_SSL`)
      if (props.get('client.sasl.mechanism') !== 'AWS_MSK_IAM')
        fails.push(`client.sasl.mechanism=${props.get('client.sasl.mechanism')} but IAM needs AWS_MSK_IAM`)
      const arn = /awsRoleArn="([^"]*)"/.exec(props.get('client.sasl.jaas.config') ?? '')?.[1]
      if (arn && ctx.roleArn && arn !== ctx.roleArn) fails.push(`client.sasl.jaas.config names ${arn} but the role is ${ctx.roleArn}`)
    }
  } else {
    const protocol = props.get('client.security.protocol')
    if (protocol !== undefined && protocol !== 'PLAINTEXT') fails.push(`client.security.protocol=${protocol} but auth is plaintext`)
    if (unprefixed.length > 0) warns.push(`${unprefixed.join(', ')} without the client. prefix: the proxy's Kafka clients ignore them`)
  }
  const listeners = props.get('listeners')
  if (listeners && !listeners.split(',').some((listener) => listener.trim().endsWith(`:${ctx.restProxyPort}`))) {
    warns.push(`listeners=${listeners} does not include port ${ctx.restProxyPort}`)
  }
  const fix = '`pinctl rest-proxy start` rewrites it (keeping a .bak of yours) and makes sure the proxy runs as a service with it'
  if (fails.length > 0) return check('rest-properties', 'fail', `${path}: ${[...fails, ...warns].join('; ')}`, fix)
  if (warns.length > 0) return check('rest-properties', 'warn', `${path}: ${warns.join('; ')}`, fix)
  return check(
    'rest-properties',
    'ok',
    `${path}: bootstrap.servers=${bootstrap}${ctx.auth === 'iam' ? ', client.* SASL settings present' : ''}`,
  )
}

/** The host layer, from one facts probe: Java vs the IAM jar, Kafka, properties files, classpaths. */
export function evaluateHostFacts(facts: HostFacts, probe: DoctorProbe, ctx: HostContext): Check[] {
  const checks = [
    evaluateJava(facts),
    facts.kafkaPresent
      ? check('kafka', 'ok', `~/${KAFKA_DIR} present`)
      : check(
          'kafka',
          'fail',
          `~/${KAFKA_DIR} missing (or incomplete: no libs/kafka_2.12-2.8.1.jar or bin/kafka-topics.sh)`,
          SETUP('kafka'),
        ),
    evaluateIamJar(facts, ctx),
    evaluateClientProperties(facts, ctx),
    evaluateBashrcClasspath(facts, probe, ctx),
  ]
  if (!facts.confluentPresent) {
    checks.push(
      check('confluent', 'fail', `~/${CONFLUENT_DIR} missing: no REST proxy on the host`, SETUP('confluent,rest-properties,rest-proxy')),
      check('rest-properties', 'skip', `needs ~/${CONFLUENT_DIR}`),
      check('rest-classpath', 'skip', `needs ~/${CONFLUENT_DIR}`),
    )
    return checks
  }
  checks.push(
    check('confluent', 'ok', `~/${CONFLUENT_DIR} present`),
    evaluateRestProperties(facts, ctx),
    evaluateServiceClasspath(facts, probe, ctx),
  )
  return checks
}
