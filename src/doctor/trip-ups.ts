/**
 * The errors operators of this pipeline commonly hit (the IAM jar missing or built for a newer Java, a role
 * that cannot be assumed, no credentials or access denied, timeouts, unresolvable brokers, the port in use, a
 * topic that already exists), each recognised by what Kafka, the IAM module or the REST proxy print, with the
 * cause and the fix.
 */
export interface TripUp {
  id: string
  /** The matching line, trimmed, so the operator sees the evidence. */
  evidence: string
  cause: string
  fix: string
}

interface TripUpRule {
  id: string
  pattern: RegExp
  cause: string
  fix: string
}

export const KAFKA_CLUSTER_PERMISSIONS =
  'kafka-cluster:Connect, kafka-cluster:DescribeCluster, kafka-cluster:DescribeTopic, kafka-cluster:CreateTopic, kafka-cluster:ReadData, ' +
  'kafka-cluster:WriteData, kafka-cluster:DescribeGroup, kafka-cluster:AlterGroup'

const RULES: TripUpRule[] = [
  {
    id: 'iam-class-not-found',
    // The same missing jar shows as a JAAS error or a config error, depending on which class is looked up first.
    pattern: new RegExp(
      [
        String.raw`(ClassNotFoundException|NoClassDefFoundError)[:\s]+software[./]amazon[./]msk[./]auth[./]iam`,
        String.raw`(ClassNotFoundException|NoClassDefFoundError).*IAM(LoginModule|ClientCallbackHandler)`,
        String.raw`No LoginModule found for software\.amazon\.msk\.auth\.iam`,
        String.raw`Class software\.amazon\.msk\.auth\.iam\.\w+ could not be found`,
      ].join('|'),
    ),
    cause: 'ClassNotFoundException: IAMLoginModule — the aws-msk-iam-auth jar is not on the Java classpath',
    fix:
      "put the -all jar in ~/kafka_2.12-2.8.1/libs and name it in CLASSPATH of the REST proxy's service environment (an export in " +
      '~/.bashrc does not reach a service): `pinctl setup-client --only iam-jar,classpath,rest-proxy`',
  },
  {
    id: 'class-version',
    pattern: /UnsupportedClassVersionError|class file version 6[1-9]\.0/,
    cause:
      'UnsupportedClassVersionError — the IAM jar was built for a newer Java than the host runs (aws-msk-iam-auth 2.3.5+ needs Java 17)',
    fix: '`pinctl setup-client --only iam-jar,classpath,rest-proxy` installs 2.3.4 for Java 8/11 (or install Java 17 on the host)',
  },
  {
    id: 'assume-role',
    pattern: /not authorized to perform: sts:AssumeRole|Failed to assume role|AssumeRole.*AccessDenied/i,
    cause: 'the IAM login module could not assume the role named in awsRoleArn — the role does not trust itself',
    fix: '`pinctl setup-client --only iam-trust` adds the role as a principal of its own trust policy',
  },
  {
    id: 'no-credentials',
    pattern: /Failed to find AWS IAM Credentials|Unable to load (AWS )?credentials from any (of the )?providers? in the chain/,
    cause: 'the IAM login module found no AWS credentials on the host — the instance has no role attached',
    fix: 'attach the instance profile of <uid>-ec2-access-role to the instance (EC2 console → Actions → Security → Modify IAM role)',
  },
  {
    id: 'access-denied',
    pattern: new RegExp(
      [
        'TopicAuthorizationException',
        'ClusterAuthorizationException',
        'GroupAuthorizationException',
        'SaslAuthenticationException',
        'Access denied',
        'Not authorized to access',
      ].join('|'),
      'i',
    ),
    cause: 'access denied — the IAM role lacks kafka-cluster:* permissions for this cluster, topic or group',
    fix:
      `give the EC2 access role a policy allowing ${KAFKA_CLUSTER_PERMISSIONS} on the cluster, topic/<cluster>/* and ` +
      `group/<cluster>/* ARNs`,
  },
  {
    id: 'timeout',
    pattern: /TimeoutException|Timed out waiting for a node assignment|timed out waiting/i,
    cause: 'timed out waiting for the brokers — the client could not complete a connection',
    fix:
      "kafka tools need --command-config client.properties (pinctl always passes it) so they speak the listener's protocol (IAM: " +
      "SASL_SSL on 9098); otherwise the cluster's security group does not admit the client host",
  },
  {
    id: 'unresolvable',
    pattern: /No resolvable bootstrap urls|UnknownHostException|Name or service not known/,
    cause: 'the bootstrap servers do not resolve from the host',
    fix:
      "MSK broker names resolve only inside the cluster's VPC: run the client in that VPC, and check bootstrapServers / the cluster " +
      '(`pinctl doctor --layer aws`)',
  },
  {
    id: 'port-in-use',
    pattern: /BindException|Address already in use/,
    cause: 'the REST proxy could not listen: another process holds the port (often a proxy started by hand)',
    fix: 'stop the other process (`pinctl ssh -- ss -ltnp` shows it), then `pinctl rest-proxy start`',
  },
  {
    id: 'topic-exists',
    pattern: /TopicExistsException|Topic '[^']+' already exists/,
    cause: 'the topic already exists — re-running kafka-topics.sh --create without --if-not-exists fails',
    fix: '`pinctl topics create` uses --if-not-exists, so re-running it is safe',
  },
]

/** Every known trip-up in a tool's output or a log, in the order of the rules (most specific first). */
export function diagnoseKafkaOutput(text: string): TripUp[] {
  const lines = text.split('\n')
  const found: TripUp[] = []
  for (const rule of RULES) {
    const line = lines.find((candidate) => rule.pattern.test(candidate))
    if (line === undefined) continue
    // An IAM-denied role assumption says "Access denied" too: report the more specific cause only.
    if (rule.id === 'access-denied' && found.some((tripUp) => tripUp.id === 'assume-role')) continue
    found.push({id: rule.id, evidence: line.trim().slice(0, 300), cause: rule.cause, fix: rule.fix})
  }
  return found
}

/** The last line that looks like an error, for failures no rule explains. */
export function lastErrorLine(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  return [...lines].reverse().find((line) => /Error|Exception|ERROR|refused|denied|failed/i.test(line)) ?? lines.at(-1)
}
