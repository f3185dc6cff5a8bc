import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import {UsageError} from '../errors.js'
import {lockFlags, sshFlags, sshOverrides} from '../flags.js'
import {provisionHost, type ProvisionReport, validateStepNames} from '../provision/runner.js'
import {provisionSettings} from '../provision/settings.js'
import {STEP_NAMES} from '../provision/steps.js'
import {renderPlan, renderStepDone, renderSummary} from '../ux/plan.js'
import {terminalPrompter} from '../ux/prompts.js'

export default class SetupClient extends BaseCommand<typeof SetupClient> {
  static summary = 'Provision the EC2 Kafka client: Java, Kafka 2.8.1, IAM jar, client.properties, REST proxy'
  static description = `Reads the host's facts in one remote command, prints a plan, and changes only what differs, over one SSH connection. Re-running on a provisioned host changes nothing and says so. Steps: ${STEP_NAMES.join(', ')}.`
  static examples = [
    '<%= config.bin %> setup-client --dry-run',
    '<%= config.bin %> setup-client --diff --yes',
    '<%= config.bin %> setup-client --only client-properties,rest-properties --diff',
    '<%= config.bin %> setup-client --mirror http://10.0.0.5:8000 --auth plaintext --bootstrap-servers 10.0.0.7:9092',
    '<%= config.bin %> setup-client --json --yes',
  ]
  static flags = {
    ...sshFlags,
    ...lockFlags,
    'dry-run': Flags.boolean({description: 'print the plan and change nothing'}),
    diff: Flags.boolean({description: 'show the unified diff of every file that would change'}),
    yes: Flags.boolean({char: 'y', description: 'apply without asking (never asks when stdin is not a terminal)'}),
    only: Flags.string({description: `run only these steps (comma-separated: ${STEP_NAMES.join(',')})`, delimiter: ',', multiple: true}),
    skip: Flags.string({description: 'skip these steps (comma-separated)', delimiter: ',', multiple: true}),
    mirror: Flags.string({description: 'base URL that replaces the host of every download', env: 'PINCTL_MIRROR'}),
    auth: Flags.option({
      options: ['iam', 'plaintext'] as const,
      description: 'how the client authenticates to Kafka (default iam)',
      env: 'PINCTL_AUTH',
    })(),
    'bootstrap-servers': Flags.string({
      description: 'broker list (default: asked of MSK for the cluster)',
      env: 'PINCTL_BOOTSTRAP_SERVERS',
    }),
    'confluent-sha512': Flags.string({description: 'SHA-512 of the Confluent archive (none is published upstream)'}),
  }

  async run(): Promise<ProvisionReport> {
    const config = this.settings({
      ...sshOverrides(this.flags),
      mirror: this.flags.mirror,
      auth: this.flags.auth,
      bootstrapServers: this.flags['bootstrap-servers'],
    })
    const only = validateStepNames(this.flags.only, '--only')
    const skip = validateStepNames(this.flags.skip, '--skip')
    const both = only?.filter((name) => skip?.includes(name)) ?? []
    if (both.length > 0) {
      throw new UsageError(`--only and --skip both name ${both.join(', ')}`, 'a step is either run or skipped: drop it from one of them')
    }
    const settings = provisionSettings(config, {confluent: this.flags['confluent-sha512']})
    const {target} = settings
    const interactive = Boolean(this.factory.terminal.stdin.isTTY) && !this.flags.yes && !this.jsonEnabled()
    const reporter = this.reporter
    this.reporter.step(`connecting to ${target.user}@${target.host}:${target.port}`)
    const report = await provisionHost({
      ...settings,
      dryRun: this.flags['dry-run'],
      only,
      skip,
      confirm: interactive ? () => terminalPrompter.confirm({message: 'Apply these changes?', default: true}) : undefined,
      onPlan: (plan, facts) => renderPlan(reporter, plan, facts, `${target.user}@${target.host}`, this.flags.diff),
      onStepStart: (step) => reporter.step(`${step.name}: ${step.decision.summary}`),
      onStepProgress: (step, elapsed) => reporter.progress(`  … ${step.name}: still running (${Math.round(elapsed / 1000)}s)`),
      onStepDone: (step) => renderStepDone(reporter, step),
      notify: (message) => reporter.info(message),
      signal: this.abort.signal,
      command: 'setup-client',
      lockTimeoutMs: this.flags['lock-timeout'],
      onLockWait: (holder, waited) => this.reportLockWait(holder, waited),
      openSession: this.factory.openSession,
    })
    renderSummary(reporter, report)
    return report
  }
}
