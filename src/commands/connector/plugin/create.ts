import {Flags} from '@oclif/core'

import {BaseCommand} from '../../../base-command.js'
import {requireSetting} from '../../../config/resolve.js'
import {resolvePluginArtifact} from '../../../connect/plugin-zip.js'
import {waitFlags} from '../../../connect/connector-flags.js'
import {createPlugin, type PluginCreateResult} from '../../../connect/plugin.js'

export default class ConnectorPluginCreate extends BaseCommand<typeof ConnectorPluginCreate> {
  static summary = 'Upload the Confluent S3 sink zip to the bucket and create the MSK Connect custom plugin'
  static description =
    `Downloads confluentinc-kafka-connect-s3-10.0.3.zip on this machine (or takes --file), verifies its SHA-512 when ` +
    `one is known (none is published: pin one with --sha512 or the artifacts file; otherwise it warns and prints the computed one), ` +
    `uploads it to s3://<bucket>/kafka-connect-s3/ only when the object is absent or different (SHA-256 in the object's metadata, or ` +
    `ETag = MD5), creates the custom plugin <user>-plugin unless one with that name and location exists, and waits until it is ACTIVE. A ` +
    `CREATE_FAILED plugin is reported with MSK Connect's reason (exit 6).`
  static examples = [
    '<%= config.bin %> connector plugin create --user 12b287eedf6d',
    '<%= config.bin %> connector plugin create --sha512 <128 hex digits>',
    '<%= config.bin %> connector plugin create --file ./confluentinc-kafka-connect-s3-10.0.3.zip --no-wait',
    '<%= config.bin %> connector plugin create --mirror http://artifacts.internal --json',
  ]
  static flags = {
    'plugin-name': Flags.string({description: 'custom plugin name [default: <user>-plugin]', env: 'PINCTL_PLUGIN'}),
    bucket: Flags.string({description: 'bucket for the zip [default: user-<user>-bucket]', env: 'PINCTL_BUCKET'}),
    url: Flags.string({description: 'download the zip from this URL instead of the pinned one'}),
    sha512: Flags.string({description: 'expected SHA-512 of the zip (hex); none is published upstream'}),
    file: Flags.string({description: 'use this local zip instead of downloading', exclusive: ['url']}),
    mirror: Flags.string({description: 'base URL that replaces scheme and host of the download URL', env: 'PINCTL_MIRROR'}),
    ...waitFlags('10m'),
  }

  async run(): Promise<PluginCreateResult> {
    const config = this.settings({pluginName: this.flags['plugin-name'], bucket: this.flags.bucket, mirror: this.flags.mirror})
    const bucket = requireSetting(config, 'bucket')
    const pluginName = requireSetting(config, 'pluginName')
    const artifact = resolvePluginArtifact({
      url: this.flags.url,
      sha512: this.flags.sha512,
      mirror: config.mirror,
      artifactsFile: config.artifactsFile,
    })
    const result = await createPlugin({
      aws: this.awsSettings(config),
      bucket,
      pluginName,
      artifact,
      file: this.flags.file,
      wait: this.flags.wait,
      timeoutMs: this.flags.timeout,
      signal: this.abort.signal,
      progress: this.reporter,
    })
    const verb = result.plugin === 'created' ? 'created' : 'exists:'
    this.reporter.success(`custom plugin ${verb} ${result.pluginName} ${result.state} (${result.pluginArn})`)
    return result
  }
}
