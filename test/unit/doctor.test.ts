import {GetRoleCommand, IAMClient} from '@aws-sdk/client-iam'
import {DescribeClusterV2Command, KafkaClient, ListClustersV2Command} from '@aws-sdk/client-kafka'
import {DescribeConnectorCommand, KafkaConnectClient, ListConnectorsCommand, ListCustomPluginsCommand} from '@aws-sdk/client-kafkaconnect'
import {GetObjectCommand, ListObjectsV2Command, S3Client} from '@aws-sdk/client-s3'
import {GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts'
import {mockClient} from 'aws-sdk-client-mock'
import {execa} from 'execa'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {getCallerIdentity} from '../../src/aws/sts.js'
import {deriveDefaults} from '../../src/config/resolve.js'
import {evaluateTopicListing, listTopicsScript} from '../../src/doctor/auth.js'
import {evaluateCluster, evaluateRole} from '../../src/doctor/aws.js'
import {type Check, layersToRun, unmetNeeds} from '../../src/doctor/checks.js'
import {runDoctor} from '../../src/doctor/run.js'
import {classpathEntries, classpathValues} from '../../src/doctor/classpath.js'
import {evaluateHostFacts, type HostContext} from '../../src/doctor/host.js'
import {type DoctorProbe, hostProbeScript, parseDoctorProbe} from '../../src/doctor/host-probe.js'
import {evaluateConfig, evaluateCredentials, evaluateKeyFile, readKeyFileState} from '../../src/doctor/local.js'
import {brokerProbeScript, evaluateBrokers, parseBrokerProbe} from '../../src/doctor/network.js'
import {countObjectsByTopic, evaluateConnector, evaluateObjects, evaluatePlugin, evaluateSampleValues} from '../../src/doctor/pipeline.js'
import {evaluateRestProxy} from '../../src/doctor/rest-proxy.js'
import {evaluateReachable, evaluateSshConnect} from '../../src/doctor/ssh.js'
import {diagnoseKafkaOutput} from '../../src/doctor/trip-ups.js'
import {ConfigError, SshError} from '../../src/errors.js'
import {parseFacts, type HostFacts} from '../../src/host/facts.js'
import {renderClientProperties, renderKafkaRestProperties, renderServiceEnv, renderServiceUnit} from '../../src/provision/templates.js'
import * as msk from './fixtures/msk.js'

const HOME = '/home/ec2-user'
const LIBS = `${HOME}/kafka_2.12-2.8.1/libs`
const JAR_236 = 'aws-msk-iam-auth-2.3.6-all.jar'
const JAR_234 = 'aws-msk-iam-auth-2.3.4-all.jar'
const BROKERS = msk.IAM_BROKERS
const IAM: HostContext = {auth: 'iam', roleArn: msk.ROLE_ARN, bootstrapServers: BROKERS, restProxyPort: 8082}
const PLAINTEXT: HostContext = {auth: 'plaintext', bootstrapServers: '127.0.0.1:9092', restProxyPort: 8082}

/** A host as `pinctl setup-client` leaves it, rendered from the same templates (AL2023, systemd, IAM). */
function provisioned(overrides: Partial<HostFacts> = {}, jar = JAR_236): HostFacts {
  return {
    home: HOME,
    user: 'ec2-user',
    os: {id: 'amzn', version: '2023'},
    packageManager: 'dnf',
    javaMajor: 17,
    javaVersion: 'openjdk version "17.0.15" 2025-04-15 LTS',
    fetchTool: 'curl',
    hasSha512sum: true,
    sudo: true,
    systemd: true,
    kafkaPresent: true,
    iamJars: [jar],
    classpathLines: [`export CLASSPATH=${LIBS}/${jar}`],
    files: {
      clientProperties: renderClientProperties({auth: 'iam', roleArn: msk.ROLE_ARN}),
      restProperties: renderKafkaRestProperties({
        auth: 'iam',
        roleArn: msk.ROLE_ARN,
        userId: '12b287eedf6d',
        bootstrapServers: BROKERS,
        restProxyPort: 8082,
      }),
      serviceUnit: renderServiceUnit({sshUser: 'ec2-user', classpath: `${LIBS}/${jar}`, confluentDir: `${HOME}/confluent-7.2.0`}),
    },
    confluentPresent: true,
    restProxy: {manager: 'systemd', running: true, pid: 4242, appliedHash: '0123456789abcdef'},
    ...overrides,
  }
}

function probe(overrides: Partial<DoctorProbe['restProxy']> = {}, jars = [`${LIBS}/${JAR_236}`]): DoctorProbe {
  return {
    iamJarPaths: jars,
    restProxy: {
      processes: [{pid: 4242, sid: 4242}],
      http: {rc: 0, code: 200, body: '["12b287eedf6d.pin"]'},
      logSource: 'journal',
      ...overrides,
    },
  }
}

const byName = (checks: Check[], name: string) => {
  const found = checks.find((check) => check.name === name)
  if (!found) throw new Error(`no check ${name} in ${checks.map((check) => check.name).join(', ')}`)
  return found
}

describe('host layer: a host as setup-client leaves it passes', () => {
  it('IAM host with systemd', () => {
    const checks = evaluateHostFacts(provisioned(), probe(), IAM)
    expect(checks.map((check) => [check.name, check.status])).toEqual([
      ['java', 'ok'],
      ['kafka', 'ok'],
      ['iam-jar', 'ok'],
      ['client-properties', 'ok'],
      ['classpath', 'ok'],
      ['confluent', 'ok'],
      ['rest-properties', 'ok'],
      ['rest-classpath', 'ok'],
    ])
    expect(evaluateRestProxy(provisioned(), probe(), IAM).map((check) => check.status)).toEqual(['ok', 'ok', 'ok'])
  })

  it('plaintext host without systemd (the sandbox): env file instead of a unit', () => {
    const facts = provisioned({
      systemd: false,
      files: {
        clientProperties: renderClientProperties({auth: 'plaintext'}),
        restProperties: renderKafkaRestProperties({
          auth: 'plaintext',
          userId: '12b287eedf6d',
          bootstrapServers: '127.0.0.1:9092',
          zookeeper: '127.0.0.1:2181',
          restProxyPort: 8082,
        }),
        serviceEnv: renderServiceEnv({classpath: `${LIBS}/${JAR_236}`}),
      },
    })
    const host = evaluateHostFacts(facts, probe({logSource: 'file'}), PLAINTEXT)
    expect(host.filter((check) => check.status !== 'ok')).toEqual([])
    expect(byName(host, 'rest-classpath').detail).toContain('~/.pinctl/kafka-rest.env')
  })
})

describe('host layer: what users trip over', () => {
  it('UnsupportedClassVersionError: IAM jar 2.3.5+ on Java 11', () => {
    const check = byName(evaluateHostFacts(provisioned({javaMajor: 11, javaVersion: 'openjdk version "11.0.22"'}), probe(), IAM), 'iam-jar')
    expect(check.status).toBe('fail')
    expect(check.detail).toMatch(
      'aws-msk-iam-auth-2.3.6-all.jar is built for Java 17 (class file version 61.0) but the host runs Java 11: ' +
        'UnsupportedClassVersionError',
    )
    expect(check.fix).toContain('aws-msk-iam-auth-2.3.4-all.jar')
    expect(check.fix).toContain('setup-client --only iam-jar')
    // 2.3.4 on Java 8 is the right pairing.
    const java8 = provisioned({javaMajor: 8, javaVersion: 'openjdk version "1.8.0_402"'}, JAR_234)
    expect(byName(evaluateHostFacts(java8, probe({}, [`${LIBS}/${JAR_234}`]), IAM), 'iam-jar').status).toBe('ok')
  })

  it('ClassNotFoundException: IAMLoginModule — the service environment has no CLASSPATH (a ~/.bashrc export does not reach it)', () => {
    const unit = provisioned().files.serviceUnit!.replace(/^Environment=CLASSPATH=.*\n/m, '')
    const check = byName(
      evaluateHostFacts(provisioned({files: {...provisioned().files, serviceUnit: unit}}), probe(), IAM),
      'rest-classpath',
    )
    expect(check.status).toBe('fail')
    expect(check.detail).toContain('ClassNotFoundException: IAMLoginModule')
    expect(check.detail).toContain('does not reach a service')
    expect(check.fix).toContain('pinctl rest-proxy start')
  })

  it('ClassNotFoundException: the jar was moved away — every CLASSPATH names a file that is gone', () => {
    const checks = evaluateHostFacts(provisioned({iamJars: []}), probe({}, []), IAM)
    expect(byName(checks, 'iam-jar')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('ClassNotFoundException: IAMLoginModule'),
    })
    expect(byName(checks, 'rest-classpath')).toMatchObject({status: 'fail', detail: expect.stringContaining('names no existing IAM jar')})
    expect(byName(checks, 'classpath').status).toBe('fail')
    // With auth=plaintext the jar is not used: the same host warns instead of failing.
    const plaintext = evaluateHostFacts(
      provisioned({
        iamJars: [],
        files: {
          ...provisioned().files,
          clientProperties: renderClientProperties({auth: 'plaintext'}),
          restProperties: '# x\nbootstrap.servers=127.0.0.1:9092\n',
        },
      }),
      probe({}, []),
      PLAINTEXT,
    )
    expect(['iam-jar', 'classpath', 'rest-classpath'].map((name) => byName(plaintext, name).status)).toEqual(['warn', 'warn', 'warn'])
  })

  it('CLASSPATH with $HOME, ~ and a libs/* wildcard is understood', () => {
    expect(classpathEntries(classpathValues('export CLASSPATH=$CLASSPATH:$HOME/kafka_2.12-2.8.1/libs/*\n'), HOME)).toEqual([`${LIBS}/*`])
    expect(classpathValues('Environment="CLASSPATH=/a/b.jar" "X=1"\n# CLASSPATH=/nope\nCLASSPATH=\'/c.jar\'')).toEqual([
      '/a/b.jar',
      '/c.jar',
    ])
    const facts = provisioned({classpathLines: ['export CLASSPATH=~/kafka_2.12-2.8.1/libs/*']})
    expect(byName(evaluateHostFacts(facts, probe(), IAM), 'classpath').status).toBe('ok')
  })

  it('client.properties that does not match the auth mode or names another role', () => {
    const plain = provisioned({files: {...provisioned().files, clientProperties: renderClientProperties({auth: 'plaintext'})}})
    const check = byName(evaluateHostFacts(plain, probe(), IAM), 'client-properties')
    expect(check).toMatchObject({status: 'fail', detail: expect.stringContaining('security.protocol=PLAINTEXT but IAM needs SASL_SSL')})
    const other = provisioned({
      files: {
        ...provisioned().files,
        clientProperties: renderClientProperties({auth: 'iam', roleArn: 'arn:aws:iam::584739742957:role/someone-else'}),
      },
    })
    expect(byName(evaluateHostFacts(other, probe(), IAM), 'client-properties').detail).toContain(
      `awsRoleArn is arn:aws:iam::584739742957:role/someone-else but the role is ${msk.ROLE_ARN}`,
    )
    const missing = provisioned({files: {...provisioned().files, clientProperties: undefined}})
    expect(byName(evaluateHostFacts(missing, probe(), IAM), 'client-properties').status).toBe('fail')
  })

  it('kafka-rest.properties: bootstrap.servers misspelt as in the seed', () => {
    const text = provisioned().files.restProperties!.replace('bootstrap.servers=', 'booststrap.servers=')
    const check = byName(
      evaluateHostFacts(provisioned({files: {...provisioned().files, restProperties: text}}), probe(), IAM),
      'rest-properties',
    )
    expect(check.status).toBe('fail')
    expect(check.detail).toContain('no bootstrap.servers — found "booststrap.servers" instead (misspelt, as in the seed)')
    expect(check.fix).toContain('`pinctl rest-proxy start` rewrites it')
  })

  it('kafka-rest.properties: the client. prefix forgotten', () => {
    const text = provisioned().files.restProperties!.replaceAll(/^client\./gm, '')
    const check = byName(
      evaluateHostFacts(provisioned({files: {...provisioned().files, restProperties: text}}), probe(), IAM),
      'rest-properties',
    )
    expect(check.status).toBe('fail')
    expect(check.detail).toContain(
      'the SASL settings lack the client. prefix (security.protocol, sasl.mechanism, sasl.jaas.config, sasl.client.callback.handler.class)',
    )
    // Without any SASL settings at all it says what is missing.
    const none = provisioned()
      .files.restProperties!.split('\n')
      .filter((line) => !line.startsWith('client.'))
      .join('\n')
    expect(
      byName(evaluateHostFacts(provisioned({files: {...provisioned().files, restProperties: none}}), probe(), IAM), 'rest-properties')
        .detail,
    ).toContain('no client.security.protocol')
  })

  it('kafka-rest.properties pointing at other brokers is a warning', () => {
    const text = provisioned().files.restProperties!.replace(BROKERS, 'b-9.other:9098')
    const check = byName(
      evaluateHostFacts(provisioned({files: {...provisioned().files, restProperties: text}}), probe(), IAM),
      'rest-properties',
    )
    expect(check).toMatchObject({status: 'warn', detail: expect.stringContaining('bootstrap.servers=b-9.other:9098 differs')})
  })

  it('no Java, no Kafka, no Confluent: each names setup-client', () => {
    const checks = evaluateHostFacts(
      provisioned({javaMajor: undefined, javaVersion: undefined, kafkaPresent: false, confluentPresent: false}),
      probe(),
      IAM,
    )
    expect(byName(checks, 'java')).toMatchObject({status: 'fail', fix: expect.stringContaining('--only java')})
    expect(byName(checks, 'kafka').status).toBe('fail')
    expect(byName(checks, 'confluent').status).toBe('fail')
    expect(byName(checks, 'rest-properties').status).toBe('skip')
  })
})

describe('REST proxy layer', () => {
  it('not running on a host without systemd: the "dies with the SSH session" case', () => {
    const facts = provisioned({systemd: false, restProxy: {manager: 'process', running: false}})
    const checks = evaluateRestProxy(
      facts,
      probe({processes: [], http: {rc: 7, error: 'curl: (7) Failed to connect to 127.0.0.1 port 8082'}, logSource: 'file'}),
      IAM,
    )
    expect(byName(checks, 'service')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('dies with the SSH session'),
      fix: '`pinctl rest-proxy start` runs it as a service',
    })
    expect(byName(checks, 'http')).toMatchObject({status: 'fail', detail: expect.stringContaining('nothing answers GET :8082/topics')})
  })

  it('started by hand (outside the service): warns and names the pid', () => {
    const checks = evaluateRestProxy(
      provisioned({restProxy: {manager: 'systemd', running: false}}),
      probe({processes: [{pid: 777, sid: 700}]}),
      IAM,
    )
    expect(byName(checks, 'service')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('started by hand in an SSH session, it dies when that session ends'),
      fix: expect.stringContaining('kill 777'),
    })
  })

  it('the log shows the missing IAM jar as the JAAS error Kafka prints', () => {
    const log =
      '[2024-05-02 10:00:00,000] ERROR Server died unexpectedly: ' +
      '(io.confluent.kafkarest.KafkaRestMain)\norg.apache.kafka.common.KafkaException: javax.security.auth.login.LoginException: No ' +
      'LoginModule found for software.amazon.msk.auth.iam.IAMLoginModule'
    const checks = evaluateRestProxy(
      provisioned({restProxy: {manager: 'systemd', running: false}}),
      probe({processes: [], http: {rc: 7}, log}),
      IAM,
    )
    const check = byName(checks, 'log')
    expect(check.status).toBe('fail')
    expect(check.detail).toContain('ClassNotFoundException: IAMLoginModule')
    expect(check.detail).toContain('No LoginModule found for software.amazon.msk.auth.iam.IAMLoginModule')
    // When the proxy answers anyway, an old error in the log is a warning.
    expect(byName(evaluateRestProxy(provisioned(), probe({log}), IAM), 'log').status).toBe('warn')
  })

  it('a 200 that is not a topic list is a failure', () => {
    const checks = evaluateRestProxy(provisioned(), probe({http: {rc: 0, code: 200, body: '<html>'}}), IAM)
    expect(byName(checks, 'http').status).toBe('fail')
  })
})

describe('diagnoseKafkaOutput: the trip-ups as Kafka prints them', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['iam-class-not-found', 'Caused by: java.lang.ClassNotFoundException: software.amazon.msk.auth.iam.IAMLoginModule', /CLASSPATH/],
    [
      'iam-class-not-found',
      'org.apache.kafka.common.config.ConfigException: Invalid value software.amazon.msk.auth.iam.IAMClientCallbackHandler for ' +
        'configuration sasl.client.callback.handler.class: Class software.amazon.msk.auth.iam.IAMClientCallbackHandler could not be found.',
      /iam-jar/,
    ],
    [
      'class-version',
      'Exception in thread "main" java.lang.UnsupportedClassVersionError: software/amazon/msk/auth/iam/IAMLoginModule has been compiled ' +
        'by a more recent version of the Java Runtime (class file version 61.0), this version of the Java Runtime only recognizes class ' +
        'file versions up to 55.0',
      /2\.3\.4/,
    ],
    ['timeout', 'Error while executing topic command : Timed out waiting for a node assignment. Call: listTopics', /--command-config/],
    [
      'access-denied',
      '[2024-05-02 10:00:00,000] ERROR org.apache.kafka.common.errors.SaslAuthenticationException: [b1c2d3]: Access denied',
      /kafka-cluster:Connect/,
    ],
    [
      'access-denied',
      'ERROR org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized to access topics: [12b287eedf6d.pin]',
      /kafka-cluster:DescribeTopic/,
    ],
    [
      'assume-role',
      'Caused by: com.amazonaws.services.securitytoken.model.AWSSecurityTokenServiceException: User: ' +
        'arn:aws:sts::584739742957:assumed-role/12b287eedf6d-ec2-access-role/i-0abc is not authorized to perform: sts:AssumeRole on ' +
        'resource: arn:aws:iam::584739742957:role/12b287eedf6d-ec2-access-role (Access denied)',
      /iam-trust/,
    ],
    [
      'no-credentials',
      'javax.security.sasl.SaslException: Failed to find AWS IAM Credentials [Caused by com.amazonaws.SdkClientException: Unable to load ' +
        'AWS credentials from any provider in the chain]',
      /instance profile/,
    ],
    ['topic-exists', "Error while executing topic command : Topic '12b287eedf6d.pin' already exists.", /--if-not-exists/],
    [
      'port-in-use',
      'java.io.IOException: Failed to bind to 0.0.0.0/0.0.0.0:8082 Caused by: java.net.BindException: Address already in use',
      /pinctl rest-proxy start/,
    ],
    ['unresolvable', 'org.apache.kafka.common.config.ConfigException: No resolvable bootstrap urls given in bootstrap.servers', /VPC/],
  ]
  it.each(cases)('%s', (id, output, fix) => {
    const found = diagnoseKafkaOutput(`some noise\n${output}\nmore noise`)
    expect(found[0].id).toBe(id)
    expect(found[0].evidence).toBe(output.trim().slice(0, 300))
    expect(found[0].fix).toMatch(fix)
  })

  it('finds nothing in a healthy log', () => {
    expect(diagnoseKafkaOutput('[2024] INFO Server started, listening for requests...')).toEqual([])
  })
})

describe('auth layer: list topics with client.properties', () => {
  const topics = ['12b287eedf6d.pin', '12b287eedf6d.geo', '12b287eedf6d.user']

  it('runs kafka-topics.sh with --command-config and a time limit', () => {
    const script = listTopicsScript(BROKERS, 45)
    expect(script).toContain(
      `pinctl_tool topics timeout 45 ` +
        `"$HOME"/kafka_2.12-2.8.1/bin/kafka-topics.sh --bootstrap-server ${BROKERS} --command-config ` +
        `"$HOME"/kafka_2.12-2.8.1/bin/client.properties --list`,
    )
  })

  it('timeout: names --command-config and the security group', () => {
    const [check, next] = evaluateTopicListing({code: 124, stdout: '', stderr: ''}, {topics, timeoutSeconds: 60})
    expect(check).toMatchObject({status: 'fail', detail: expect.stringContaining('did not finish within 60s')})
    expect(check.fix).toMatch(/--command-config client\.properties.*security group/)
    expect(next.status).toBe('skip')
  })

  it('Access denied: names the kafka-cluster:* permissions', () => {
    const stderr =
      'Error while executing topic command : org.apache.kafka.common.errors.SaslAuthenticationException: [abc]: Access ' +
      'denied\n[2024-05-02] ERROR org.apache.kafka.common.errors.SaslAuthenticationException: [abc]: Access denied'
    const [check] = evaluateTopicListing({code: 1, stdout: '', stderr}, {topics})
    expect(check.status).toBe('fail')
    expect(check.detail).toContain('access denied')
    expect(check.fix).toContain('kafka-cluster:Connect, kafka-cluster:DescribeCluster, kafka-cluster:DescribeTopic')
  })

  it('topics missing: safe to (re)create with --if-not-exists', () => {
    const checks = evaluateTopicListing({code: 0, stdout: '12b287eedf6d.pin\n__amazon_msk_canary\n', stderr: 'SLF4J: noise'}, {topics})
    expect(checks[0]).toMatchObject({status: 'ok', detail: '2 topic(s) listed with --command-config client.properties'})
    expect(checks[1]).toMatchObject({
      status: 'warn',
      detail: 'missing: 12b287eedf6d.geo, 12b287eedf6d.user',
      fix: expect.stringContaining('--if-not-exists'),
    })
    expect(evaluateTopicListing({code: 0, stdout: topics.join('\n'), stderr: ''}, {topics})[1].status).toBe('ok')
  })

  it('unexplained failures show the last error line', () => {
    const [check] = evaluateTopicListing({code: 1, stdout: '', stderr: 'line one\nError: something odd happened\n'}, {topics})
    expect(check.detail).toBe('kafka-topics.sh --list failed (exit 1): Error: something odd happened')
  })
})

describe('network layer', () => {
  it('probes each broker with quoted arguments and parses the answers', () => {
    const script = brokerProbeScript('b-1.x:9098,b-2.x:9098')
    expect(script).toContain(`bash -c 'exec 3<>"/dev/tcp/$0/$1"' b-1.x 9098`)
    const out = `broker.1.rc=124\nbroker.1.out=\nbroker.0.rc=0\n`
    expect(parseBrokerProbe('b-1.x:9098,b-2.x:9098', out)).toEqual([
      {broker: 'b-1.x:9098', rc: 0, output: ''},
      {broker: 'b-2.x:9098', rc: 124, output: ''},
    ])
    expect(parseBrokerProbe('b-1.x:9098', 'probe=unavailable\n')).toBe('unavailable')
    expect(parseBrokerProbe('b-1.x:9098', '')).toEqual([{broker: 'b-1.x:9098', rc: -1, output: 'no answer from the probe'}])
  })

  it('a timeout names the cluster security group; a refusal the port; a name error the VPC', () => {
    const refused = Buffer.from('bash: connect: Connection refused\nbash: line 1: /dev/tcp/b-2.x/9098: Connection refused').toString(
      'base64',
    )
    const unknown = Buffer.from('bash: b-3.x: Name or service not known').toString('base64')
    const probes = parseBrokerProbe(
      'b-1.x:9098,b-2.x:9098,b-3.x:9098,b-4.x:9098',
      `broker.0.rc=124\nbroker.1.rc=1\nbroker.1.out=${refused}\nbroker.2.rc=1\nbroker.2.out=${unknown}\nbroker.3.rc=0\n`,
    )
    const checks = evaluateBrokers(probes, {securityGroups: msk.SECURITY_GROUPS, auth: 'iam'})
    expect(checks[0]).toMatchObject({
      status: 'fail',
      name: 'broker b-1.x:9098',
      fix: expect.stringContaining("the cluster's security group (sg-0123456789abcdef0) must allow inbound TCP 9098"),
    })
    expect(checks[1]).toMatchObject({status: 'fail', detail: 'b-2.x:9098 refused the connection'})
    expect(checks[2]).toMatchObject({status: 'fail', fix: expect.stringContaining('VPC')})
    expect(checks[3].status).toBe('ok')
  })
})

describe('local layer', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pinctl-doctor-'))
  })

  it('key file: mode 0400 and 0600 pass, readable by others fails with chmod 400, missing names keypair fetch', () => {
    const key = join(dir, 'k.pem')
    writeFileSync(key, '-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n')
    for (const mode of [0o400, 0o600]) {
      chmodSync(key, mode)
      expect(evaluateKeyFile(readKeyFileState(key)).status).toBe('ok')
    }
    chmodSync(key, 0o644)
    expect(evaluateKeyFile(readKeyFileState(key))).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('mode 0644'),
      fix: `chmod 400 ${key}`,
    })
    expect(evaluateKeyFile(readKeyFileState(join(dir, 'none.pem')), 'uid-key-pair')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('`pinctl keypair fetch` (key pair uid-key-pair)'),
    })
    const notKey = join(dir, 'n.pem')
    writeFileSync(notKey, 'ssh-rsa AAAA public key\n', {mode: 0o400})
    expect(evaluateKeyFile(readKeyFileState(notKey)).detail).toContain('does not start like a private key')
  })

  it('config: an invalid file or no user id fails with the fix', () => {
    const error = new ConfigError('invalid sshPort: Too big in config file /x/pinctl.json', 'correct the value')
    expect(evaluateConfig(undefined, error)).toEqual({
      layer: 'local',
      name: 'config',
      status: 'fail',
      detail: error.message,
      fix: 'correct the value',
    })
    expect(evaluateConfig(deriveDefaults({}))).toMatchObject({status: 'fail', fix: expect.stringContaining('--user')})
    expect(evaluateConfig(deriveDefaults({userId: '12b287eedf6d', host: 'h'}, {userId: '/p/pinctl.json'})).detail).toBe(
      'user 12b287eedf6d, host h, region us-east-1, auth iam (set by /p/pinctl.json)',
    )
  })
})

describe('AWS lookups (aws-sdk-client-mock)', () => {
  const sts = mockClient(STSClient)
  const kafka = mockClient(KafkaClient)
  const iam = mockClient(IAMClient)
  const s3 = mockClient(S3Client)
  const aws = {region: 'us-east-1'}
  beforeEach(() => {
    sts.reset()
    kafka.reset()
    iam.reset()
    s3.reset()
  })
  afterEach(() => {
    sts.reset()
    kafka.reset()
    iam.reset()
    s3.reset()
  })

  it('credentials: GetCallerIdentity, and no credentials named with the fix', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({Account: msk.ACCOUNT, Arn: `arn:aws:sts::${msk.ACCOUNT}:assumed-role/student/s`, UserId: 'AROA:s'})
    expect(evaluateCredentials(await getCallerIdentity(aws))).toMatchObject({
      status: 'ok',
      detail: `arn:aws:sts::${msk.ACCOUNT}:assumed-role/student/s (account ${msk.ACCOUNT})`,
    })
    sts
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('Could not load credentials from any providers'), {name: 'CredentialsProviderError'}))
    const error = await getCallerIdentity(aws).catch((e) => e)
    expect(evaluateCredentials(undefined, error)).toMatchObject({
      status: 'fail',
      detail: 'sts:GetCallerIdentity: no AWS credentials found',
      fix: expect.stringContaining('AWS_PROFILE'),
    })
  })

  it('role trust: the seed role (ec2 only) fails for IAM, warns for plaintext; a self-trusting role passes', () => {
    const raw = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'trust-policy-getrole.txt'), 'utf8').trim()
    const [exists, trust] = evaluateRole({arn: msk.ROLE_ARN, trustPolicy: raw}, '12b287eedf6d-ec2-access-role', 'iam')
    expect(exists.status).toBe('ok')
    expect(trust).toMatchObject({status: 'fail', fix: expect.stringContaining('setup-client --only iam-trust')})
    expect(evaluateRole({arn: msk.ROLE_ARN, trustPolicy: raw}, 'r', 'plaintext')[1].status).toBe('warn')
    const trusting = encodeURIComponent(
      JSON.stringify({Statement: [{Effect: 'Allow', Principal: {AWS: [msk.ROLE_ARN]}, Action: 'sts:AssumeRole'}]}),
    )
    expect(evaluateRole({arn: msk.ROLE_ARN, trustPolicy: trusting}, 'r', 'iam')[1].status).toBe('ok')
    const missing = new ConfigError('IAM role r does not exist', 'check roleName')
    expect(evaluateRole(undefined, 'r', 'iam', missing).map((check) => check.status)).toEqual(['fail', 'skip'])
  })

  it('cluster: ACTIVE passes, CREATING warns, FAILED fails', () => {
    const info = {
      arn: msk.CLUSTER_ARN,
      name: 'pinterest-msk-cluster',
      state: 'ACTIVE',
      type: 'PROVISIONED' as const,
      kafkaVersion: '2.8.1',
      subnets: msk.SUBNETS,
      securityGroups: msk.SECURITY_GROUPS,
    }
    expect(evaluateCluster(info)).toMatchObject({
      status: 'ok',
      detail: 'pinterest-msk-cluster ACTIVE (Kafka 2.8.1, security groups sg-0123456789abcdef0)',
    })
    expect(evaluateCluster({...info, state: 'CREATING'}).status).toBe('warn')
    expect(evaluateCluster({...info, state: 'FAILED'}).status).toBe('fail')
  })

  it('runDoctor --layer aws: local runs first; aws reads MSK and IAM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pinctl-doctor-'))
    const keyFile = join(dir, 'k.pem')
    writeFileSync(keyFile, '-----BEGIN RSA PRIVATE KEY-----\n', {mode: 0o400})
    sts.on(GetCallerIdentityCommand).resolves({Account: msk.ACCOUNT, Arn: `arn:aws:iam::${msk.ACCOUNT}:user/student`})
    kafka.on(ListClustersV2Command).resolves(msk.listClustersV2)
    kafka.on(DescribeClusterV2Command).resolves(msk.describeClusterV2)
    const seedTrust = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'trust-policy-getrole.txt'), 'utf8').trim()
    iam
      .on(GetRoleCommand, {RoleName: '12b287eedf6d-ec2-access-role'})
      .resolves({Role: {...msk.getRole.Role, AssumeRolePolicyDocument: seedTrust}})
    const config = deriveDefaults({
      userId: '12b287eedf6d',
      clusterName: 'pinterest-msk-cluster',
      bootstrapServers: BROKERS,
      keyFile,
      host: 'h',
    })
    const seen: string[] = []
    const report = await runDoctor({config, layers: ['aws'], onLayer: (layer) => seen.push(layer.name)})
    expect(seen).toEqual(['local', 'aws'])
    expect(report.checks.map((check) => `${check.layer}/${check.name}:${check.status}`)).toEqual([
      'local/config:ok',
      'local/credentials:ok',
      'local/key-file:ok',
      'aws/cluster:ok',
      'aws/bootstrap:ok',
      'aws/role:ok',
      'aws/role-trust:fail',
    ])
    expect(report.checks.at(-1)?.fix).toContain('setup-client --only iam-trust')
    expect(kafka.commandCalls(DescribeClusterV2Command)[0].args[0].input).toEqual({ClusterArn: msk.CLUSTER_ARN})
    expect(report.ok).toBe(false)
  })

  it('runDoctor: failed credentials skip every AWS layer with the reason; an invalid config skips everything', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(Object.assign(new Error('The security token included in the request is invalid'), {name: 'InvalidClientTokenId'}))
    const config = deriveDefaults({userId: '12b287eedf6d', keyFile: '/nonexistent/k.pem'})
    const report = await runDoctor({config, layers: ['aws', 'ssh', 'connector', 's3']})
    const get = (id: string) => report.checks.find((check) => `${check.layer}/${check.name}` === id)
    expect(get('aws/aws')).toMatchObject({status: 'skip', detail: 'local/credentials failed'})
    expect(get('ssh/ssh')).toMatchObject({status: 'skip', detail: 'local/key-file failed'})
    expect(get('connector/connector')?.status).toBe('skip')
    expect(get('s3/s3')?.status).toBe('skip')

    const invalid = await runDoctor({configError: new ConfigError('config file x is not valid JSON', 'fix the file')})
    expect(invalid.checks.filter((check) => check.status !== 'skip').map((check) => `${check.layer}/${check.name}`)).toEqual([
      'local/config',
    ])
    expect(invalid.checks.find((check) => check.layer === 's3')).toMatchObject({
      status: 'skip',
      detail: 'local/config failed, local/credentials was skipped',
    })
    expect(invalid.checks.at(-1)).toMatchObject({layer: 'source', status: 'skip', detail: 'local/config failed'})
  })

  it('connector: MSK Connect unreachable is a skip with the reason; a FAILED connector fails with its reason', async () => {
    const kc = mockClient(KafkaConnectClient)
    try {
      const dir = mkdtempSync(join(tmpdir(), 'pinctl-doctor-'))
      const keyFile = join(dir, 'k.pem')
      writeFileSync(keyFile, '-----BEGIN RSA PRIVATE KEY-----\n', {mode: 0o400})
      sts.on(GetCallerIdentityCommand).resolves({Account: msk.ACCOUNT, Arn: `arn:aws:iam::${msk.ACCOUNT}:user/student`})
      const config = deriveDefaults({userId: '12b287eedf6d', keyFile})
      kc.on(ListCustomPluginsCommand).rejects(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {code: 'ECONNREFUSED'}))
      const unreachable = (await runDoctor({config, layers: ['connector']})).checks.filter((check) => check.layer === 'connector')
      expect(unreachable.map((check) => check.status)).toEqual(['skip', 'skip'])
      expect(unreachable[0].detail).toMatch(/^MSK Connect is not reachable: kafkaconnect:ListCustomPlugins: cannot reach the AWS endpoint/)

      kc.reset()
      kc.on(ListCustomPluginsCommand).resolves({customPlugins: [msk.pluginSummary('ACTIVE')]})
      kc.on(ListConnectorsCommand).resolves({
        connectors: [{connectorName: '12b287eedf6d-connector', connectorArn: msk.CONNECTOR_ARN, connectorState: 'FAILED'}],
      })
      kc.on(DescribeConnectorCommand).resolves({
        connectorState: 'FAILED',
        stateDescription: {code: 'x', message: 'The bucket user-12b287eedf6d-bucket does not exist'},
        connectorConfiguration: {'topics.regex': '12b287eedf6d.*'},
      })
      const failed = (await runDoctor({config, layers: ['connector']})).checks.filter((check) => check.layer === 'connector')
      expect(failed.map((check) => check.status)).toEqual(['ok', 'fail'])
      expect(failed[1].detail).toBe('12b287eedf6d-connector FAILED: The bucket user-12b287eedf6d-bucket does not exist')
    } finally {
      kc.restore()
    }
  })

  it('S3: object counts per topic and the string-escaped sample', async () => {
    const objects = ['pin', 'geo'].flatMap((kind) =>
      [0, 1].map((offset) => ({
        Key: `topics/12b287eedf6d.${kind}/partition=0/12b287eedf6d.${kind}+0+000000000${offset}.json`,
        Size: 10,
        LastModified: new Date(Date.UTC(2024, 4, 2, 10, offset)),
      })),
    )
    s3.on(ListObjectsV2Command).resolves({Contents: objects, IsTruncated: false})
    const escaped = JSON.stringify(JSON.stringify({index: 7528, title: 'x'}))
    // The SDK's body stream, reduced to the one method getObjectText uses.
    s3.on(GetObjectCommand).resolves({Body: {transformToString: async () => `${escaped}\n`} as never})
    const dir = mkdtempSync(join(tmpdir(), 'pinctl-doctor-'))
    const keyFile = join(dir, 'k.pem')
    writeFileSync(keyFile, '-----BEGIN RSA PRIVATE KEY-----\n', {mode: 0o400})
    sts.on(GetCallerIdentityCommand).resolves({Account: msk.ACCOUNT, Arn: `arn:aws:iam::${msk.ACCOUNT}:user/student`})
    const report = await runDoctor({config: deriveDefaults({userId: '12b287eedf6d', keyFile}), layers: ['s3']})
    const s3Checks = report.checks.filter((check) => check.layer === 's3')
    expect(s3Checks.map((check) => [check.name, check.status])).toEqual([
      ['bucket', 'ok'],
      ['objects', 'warn'],
      ['values', 'warn'],
    ])
    expect(s3Checks[1].detail).toContain('12b287eedf6d.pin 2, 12b287eedf6d.geo 2, 12b287eedf6d.user 0 — nothing yet for 12b287eedf6d.user')
    expect(s3Checks[2].detail).toContain('values arrive string-escaped')
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input).toMatchObject({
      Bucket: 'user-12b287eedf6d-bucket',
      Prefix: 'topics/12b287eedf6d.',
    })
  })
})

describe('connector and S3 evaluations', () => {
  it('plugin and connector states', () => {
    expect(evaluatePlugin({name: 'p', state: 'ACTIVE'}).status).toBe('ok')
    expect(evaluatePlugin({name: 'p', state: 'ABSENT'})).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('connector plugin create'),
    })
    expect(evaluatePlugin({name: 'p', state: 'CREATE_FAILED', reason: 'not a valid ZIP file'})).toMatchObject({
      status: 'fail',
      detail: 'p CREATE_FAILED: not a valid ZIP file',
    })
    expect(evaluateConnector({name: 'c', state: 'RUNNING', topicsRegex: '12b287eedf6d.*'}, '12b287eedf6d').status).toBe('ok')
    expect(evaluateConnector({name: 'c', state: 'RUNNING', topicsRegex: '12b287eedf6d.pin'}, '12b287eedf6d').status).toBe('warn')
    expect(evaluateConnector({name: 'c', state: 'FAILED', reason: 'bucket not found'}, 'u')).toMatchObject({
      status: 'fail',
      detail: 'c FAILED: bucket not found',
    })
    expect(evaluateConnector({name: 'c', state: 'CREATING'}, 'u').status).toBe('warn')
  })

  it('values: objects pass; JSON inside a JSON string is the string-escaped case', () => {
    expect(evaluateSampleValues([{key: 'k', text: '{"index":1,"title":"a"}\n'}]).status).toBe('ok')
    const escaped = evaluateSampleValues([{key: 'k', text: `${JSON.stringify('{"index":1}')}\n`}])
    expect(escaped).toMatchObject({status: 'warn', fix: expect.stringContaining('serialised each value twice')})
    expect(evaluateSampleValues([]).status).toBe('skip')
  })

  it('objects: counted per topic from the keys', () => {
    const counts = countObjectsByTopic([
      {key: 'topics/u.pin/partition=0/u.pin+0+0000000000.json', size: 1},
      {key: 'topics/u.pin/partition=1/u.pin+1+0000000000.json', size: 1},
    ])
    expect(counts.get('u.pin')?.objects).toBe(2)
    expect(evaluateObjects('b', ['u.pin'], counts, false).status).toBe('ok')
    expect(evaluateObjects('b', ['u.geo'], counts, false).status).toBe('warn')
  })
})

describe('ssh layer', () => {
  it('reachability: refused, unresolvable and silent hosts each get their own fix', () => {
    const target = {host: 'ec2-1-2-3-4.compute-1.amazonaws.com', port: 22}
    expect(evaluateReachable({ok: true}, target).status).toBe('ok')
    expect(evaluateReachable({ok: false, code: 'ECONNREFUSED'}, target).fix).toContain('sshd up')
    expect(evaluateReachable({ok: false, code: 'ENOTFOUND'}, target).fix).toContain('public DNS')
    expect(evaluateReachable({ok: false, code: 'TIMEOUT'}, target).fix).toContain('security group allow inbound TCP 22')
  })

  it('host key mismatch fails host-key and skips login; a refused key fails login only', () => {
    const mismatch = new SshError(
      'host key for h:22 does not match /k:3 — the host presented ssh-ed25519 SHA256:x; refusing to connect',
      'ssh-keygen -R h -f /k',
    )
    expect(
      evaluateSshConnect({error: mismatch, knownBefore: true, notes: [], knownHostsFile: '/k', user: 'ec2-user'}).map((check) => [
        check.name,
        check.status,
        check.fix,
      ]),
    ).toEqual([
      ['host-key', 'fail', 'ssh-keygen -R h -f /k'],
      ['login', 'skip', undefined],
    ])
    const refused = new SshError('h:22 refused the key /k.pem for user ubuntu', 'check the SSH user (ec2-user on Amazon Linux…)')
    expect(
      evaluateSshConnect({error: refused, knownBefore: false, notes: [], knownHostsFile: '/k', user: 'ubuntu'}).map(
        (check) => check.status,
      ),
    ).toEqual(['ok', 'fail'])
    const first = evaluateSshConnect({
      knownBefore: false,
      notes: ['trusted new host key for [h]:2222 (ssh-ed25519 SHA256:x), recorded in /k'],
      knownHostsFile: '/k',
      user: 'ec2-user',
    })
    expect(first[0].detail).toMatch(/^first connection: trusted new host key/)
  })
})

describe('layers and skips', () => {
  it('--layer adds the layers a layer needs, in run order', () => {
    expect(layersToRun(['auth'])).toEqual(['local', 'aws', 'ssh', 'host', 'network', 'auth'])
    expect(layersToRun(['s3'])).toEqual(['local', 's3'])
    expect(layersToRun(['source'])).toEqual(['local', 'source'])
    expect(layersToRun()).toHaveLength(10)
  })

  it('one reachable broker is enough for auth; none skips it with the reason', () => {
    const host: Check[] = [
      {layer: 'host', name: 'kafka', status: 'ok', detail: ''},
      {layer: 'host', name: 'client-properties', status: 'warn', detail: ''},
    ]
    const broker = (status: Check['status'], n: number): Check => ({layer: 'network', name: `broker b-${n}:9098`, status, detail: ''})
    expect(unmetNeeds('auth', [...host, broker('fail', 1), broker('ok', 2)])).toBeUndefined()
    expect(unmetNeeds('auth', [...host, broker('fail', 1), broker('fail', 2)])).toBe('network/broker b-1:9098 failed')
    expect(unmetNeeds('host', [{layer: 'ssh', name: 'login', status: 'skip', detail: ''}])).toBe('ssh/login was skipped')
  })
})

describe('the host probe script', () => {
  it('runs in a POSIX sh and parses into facts and doctor extras (read-only, no self-match)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pinctl-home-'))
    mkdirSync(join(home, 'kafka_2.12-2.8.1', 'libs'), {recursive: true})
    writeFileSync(join(home, 'kafka_2.12-2.8.1', 'libs', JAR_234), 'jar')
    writeFileSync(join(home, '.bashrc'), `export CLASSPATH=${home}/kafka_2.12-2.8.1/libs/${JAR_234}\n`)
    // Port 1 is never a REST proxy: the HTTP probe must report a failure, not hang.
    const child = execa('sh', ['-c', hostProbeScript(1)], {env: {HOME: home, PATH: process.env.PATH}, reject: false})
    const result = await child
    const facts = parseFacts(String(result.stdout))
    const extras = parseDoctorProbe(String(result.stdout))
    expect(facts.home).toBe(home)
    expect(facts.iamJars).toEqual([JAR_234])
    expect(extras.iamJarPaths).toEqual([join(home, 'kafka_2.12-2.8.1', 'libs', JAR_234)])
    expect(extras.restProxy.http.code).toBeFalsy()
    expect(extras.restProxy.processes.map((process) => process.pid)).not.toContain(child.pid)
    expect(extras.restProxy.logSource).toBe('none')
  })
})
