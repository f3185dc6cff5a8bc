import {Flags} from '@oclif/core'

import {BaseCommand} from '../../base-command.js'
import {requireSetting} from '../../config/resolve.js'
import {fetchKeyPair, type FetchKeyPairResult} from '../../keypair/fetch-keypair.js'

export default class KeypairFetch extends BaseCommand<typeof KeypairFetch> {
  static summary = "Fetch the EC2 key pair's private key from Parameter Store into a 0400 .pem file"
  static description =
    'Looks up the key pair id (EC2 DescribeKeyPairs), reads the SecureString /ec2/keypair/<id> with decryption and writes it atomically ' +
    'with mode 0400. The key is never printed. Re-running with the same key changes nothing.'
  static examples = [
    '<%= config.bin %> keypair fetch --user 12b287eedf6d',
    '<%= config.bin %> keypair fetch --key-pair 12b287eedf6d-key-pair --key-file ~/.ssh/12b287eedf6d.pem',
    '<%= config.bin %> keypair fetch --json',
  ]
  static flags = {
    'key-pair': Flags.string({description: 'key pair name (default <user>-key-pair)', env: 'PINCTL_KEY_PAIR'}),
    'key-file': Flags.string({description: 'where to write the key (default ~/.ssh/<key-pair>.pem)', env: 'PINCTL_KEY_FILE'}),
    force: Flags.boolean({description: 'replace a key file that holds a different key'}),
  }

  async run(): Promise<FetchKeyPairResult> {
    const config = this.settings({keyPairName: this.flags['key-pair'], keyFile: this.flags['key-file']})
    const keyPairName = requireSetting(config, 'keyPairName')
    const keyFile = requireSetting(config, 'keyFile')
    this.reporter.step(`fetching key pair ${keyPairName} from Parameter Store (${config.region})`)
    const result = await fetchKeyPair({aws: this.awsSettings(config), keyPairName, keyFile, force: this.flags.force})
    const verb = {written: 'wrote', unchanged: 'unchanged:', replaced: 'replaced'}[result.status]
    this.reporter.success(`${verb} ${result.keyFile} (mode 0400, ${result.keyPairId}, ${result.fingerprint})`)
    return result
  }
}
