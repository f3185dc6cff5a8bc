import {Flags} from '@oclif/core'
import {readFileSync} from 'node:fs'

import {BaseCommand} from '../../base-command.js'
import {requireSetting} from '../../config/resolve.js'
import {createConnector, type ConnectorCreateResult} from '../../connect/connector.js'
import {capacityFlags, capacityFromFlags, waitFlags} from '../../connect/connector-flags.js'
import {ConfigError} from '../../errors.js'

export default class ConnectorCreate extends BaseCommand<typeof ConnectorCreate> {
  static summary = "Create the S3 sink connector with the seed's configuration and wait until it is RUNNING"
  static description =
    "CreateConnector <user>-connector: the seed's S3 sink configuration (topics.regex <user>.*, bucket user-<user>-bucket, " +
    'JSON format, flush.size 1, …), bootstrap servers from MSK GetBootstrapBrokers (IAM port 9098; plaintext with --auth ' +
    "plaintext), the cluster's subnets and security groups from DescribeClusterV2, IAM client authentication with TLS in " +
    'transit, the capacity flags, and the service execution role <user>-ec2-access-role (ARN from IAM GetRole, or --role-arn).\n' +
    'Re-running with the same settings changes nothing. When the connector exists with a different configuration, the ' +
    'differences are listed and the command stops (exit 2) unless --replace, which deletes it and creates it again.'
  static examples = [
    '<%= config.bin %> connector create --user 12b287eedf6d',
    '<%= config.bin %> connector create --workers 2 --mcu 2',
    '<%= config.bin %> connector create --autoscale 1-2 --replace',
    '<%= config.bin %> connector create --worker-config confluent-worker',
    '<%= config.bin %> connector create --role-arn arn:aws:iam::123456789012:role/12b287eedf6d-ec2-access-role --no-wait --json',
  ]
  static flags = {
    'connector-name': Flags.string({description: 'connector name [default: <user>-connector]', env: 'PINCTL_CONNECTOR'}),
    'plugin-name': Flags.string({description: 'custom plugin to run [default: <user>-plugin]', env: 'PINCTL_PLUGIN'}),
    bucket: Flags.string({description: 'bucket the sink writes to [default: user-<user>-bucket]', env: 'PINCTL_BUCKET'}),
    cluster: Flags.string({description: 'MSK cluster name', env: 'PINCTL_CLUSTER'}),
    'cluster-arn': Flags.string({description: 'MSK cluster ARN (instead of --cluster)', env: 'PINCTL_CLUSTER_ARN'}),
    auth: Flags.string({
      description: 'how the connector authenticates to the brokers [default: iam]',
      options: ['iam', 'plaintext'],
      env: 'PINCTL_AUTH',
    }),
    'bootstrap-servers': Flags.string({description: "use these brokers instead of the cluster's (MSK GetBootstrapBrokers)"}),
    role: Flags.string({description: 'IAM role the connector runs as [default: <user>-ec2-access-role]', env: 'PINCTL_ROLE'}),
    'role-arn': Flags.string({description: 'role ARN (skips the IAM GetRole lookup)'}),
    'connect-version': Flags.string({description: 'Kafka Connect version [default: 2.7.1]'}),
    'worker-config': Flags.string({description: 'use this worker configuration (created from --worker-config-file when missing)'}),
    'worker-config-file': Flags.string({description: 'worker .properties file for --worker-config', dependsOn: ['worker-config']}),
    replace: Flags.boolean({
      description: 'when the connector exists with another configuration (or FAILED): delete it and create it again',
    }),
    ...capacityFlags,
    ...waitFlags('30m'),
  }

  async run(): Promise<ConnectorCreateResult> {
    const config = this.settings({
      connectorName: this.flags['connector-name'],
      pluginName: this.flags['plugin-name'],
      bucket: this.flags.bucket,
      clusterName: this.flags.cluster,
      clusterArn: this.flags['cluster-arn'],
      auth: this.flags.auth as 'iam' | 'plaintext' | undefined,
      roleName: this.flags.role,
    })
    const userId = requireSetting(config, 'userId')
    const workerConfigFile = this.flags['worker-config-file']
    let properties: string | undefined
    if (workerConfigFile) {
      try {
        properties = readFileSync(workerConfigFile, 'utf8')
      } catch (error) {
        throw new ConfigError(`cannot read worker configuration file ${workerConfigFile}: ${(error as Error).message}`)
      }
    }
    const result = await createConnector({
      aws: this.awsSettings(config),
      userId,
      bucket: requireSetting(config, 'bucket'),
      connectorName: requireSetting(config, 'connectorName'),
      pluginName: requireSetting(config, 'pluginName'),
      cluster: {arn: config.clusterArn, name: config.clusterName},
      auth: config.auth,
      bootstrapServers: this.flags['bootstrap-servers'],
      roleArn: this.flags['role-arn'],
      roleName: config.roleName,
      capacity: capacityFromFlags(this.flags),
      kafkaConnectVersion: this.flags['connect-version'],
      workerConfiguration: this.flags['worker-config'] ? {name: this.flags['worker-config'], properties} : undefined,
      replace: this.flags.replace,
      wait: this.flags.wait,
      timeoutMs: this.flags.timeout,
      signal: this.abort.signal,
      progress: this.reporter,
    })
    const verb = {created: 'created', exists: 'unchanged:', replaced: 'replaced'}[result.status]
    this.reporter.success(`${verb} connector ${result.connectorName} ${result.state} (${result.connectorArn})`)
    return result
  }
}
