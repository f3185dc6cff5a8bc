import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import {configFilePath} from '../config/write.js'
import {runInit, type InitResult} from '../init/init.js'
import {renderDiff} from '../ux/diff.js'
import {terminalPrompter} from '../ux/prompts.js'

export default class Init extends BaseCommand<typeof Init> {
  static summary = 'Write the config file: region, MSK cluster, EC2 instance, key pair, role and user id'
  static description =
    'Asks on a terminal (@inquirer/prompts), choosing the cluster from ListClustersV2 and the instance from the running ones ' +
    "(DescribeInstances: Name tag and public DNS; the key pair is the instance's). Every question has a flag, so with --yes or without a " +
    'terminal it asks nothing: a lone cluster or instance is taken, anything else missing is an error naming the flag. The file is ' +
    'validated before it is written (atomically); an existing file that differs is shown as a diff and replaced only with --force (or a ' +
    'yes on the terminal).'
  static examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init --yes --user 12b287eedf6d --cluster pinterest-msk-cluster --instance 12b287eedf6d-ec2-client',
    '<%= config.bin %> init --global --region us-east-1 --profile student',
    '<%= config.bin %> init --yes --user 12b287eedf6d --host ec2-3-80-1-2.compute-1.amazonaws.com --key-pair 12b287eedf6d-key-pair ' +
      '--config ./prod.json --force',
  ]
  static flags = {
    cluster: Flags.string({description: 'MSK cluster name (default: asked; a lone cluster is taken)', env: 'PINCTL_CLUSTER'}),
    instance: Flags.string({description: 'EC2 instance id or Name tag (default: asked; a lone running instance is taken)'}),
    host: Flags.string({description: 'host name or IP of the client instead of looking up an instance', env: 'PINCTL_HOST'}),
    'ssh-user': Flags.string({description: 'SSH user to record (default when unset: ec2-user)'}),
    'key-pair': Flags.string({description: "key pair name (default: the instance's key pair)", env: 'PINCTL_KEY_PAIR'}),
    role: Flags.string({description: 'IAM role of the EC2 client (default: <user>-ec2-access-role)', env: 'PINCTL_ROLE'}),
    global: Flags.boolean({description: 'write the user config ($XDG_CONFIG_HOME/pinctl/config.json) instead of ./pinctl.json'}),
    force: Flags.boolean({description: 'replace an existing file that differs'}),
    yes: Flags.boolean({char: 'y', description: 'ask nothing: take flags, environment, the existing file and lone choices'}),
  }

  async run(): Promise<InitResult> {
    // Checked here, not with oclif's `exclusive`: that would also count a PINCTL_HOST in the environment.
    if (this.flags.host && this.flags.instance) throw new UsageError('--host and --instance both name the client', 'give one of them')
    const destination = configFilePath({config: this.flags.config, global: this.flags.global})
    const {stdin, stdout} = this.factory.terminal
    const interactive = Boolean(stdin.isTTY && stdout.isTTY) && !this.flags.yes && !this.jsonEnabled()
    const result = await runInit({
      flags: {
        region: this.flags.region,
        profile: this.flags.profile,
        userId: this.flags.user,
        cluster: this.flags.cluster,
        instance: this.flags.instance,
        host: this.flags.host,
        sshUser: this.flags['ssh-user'],
        keyPairName: this.flags['key-pair'],
        roleName: this.flags.role,
      },
      destination,
      force: this.flags.force,
      prompter: interactive ? terminalPrompter : undefined,
      onProgress: (message) => this.reporter.step(message),
      onPlan: (plan) => {
        if (plan.status !== 'replace' || !plan.diff) return
        this.reporter.info(`${destination} exists; the changes:`)
        this.reporter.info(renderDiff(this.reporter, plan.diff))
      },
    })
    for (const warning of result.warnings) this.reporter.warn(warning)
    const verb = {created: 'wrote', replaced: 'replaced', unchanged: 'unchanged:', kept: 'kept the existing'}[result.status]
    this.reporter.success(`${verb} ${result.file}`)
    // pinctl reads ./pinctl.json and the user file by itself; any other file must be named.
    const readByDefault = [configFilePath({}), configFilePath({global: true})].includes(result.file)
    const how = readByDefault ? '' : ` (with --config ${result.file} or PINCTL_CONFIG=${result.file})`
    if (result.status !== 'kept') this.reporter.info(`next: \`pinctl keypair fetch\`, then \`pinctl doctor\`${how}`)
    return result
  }
}
