import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import type {Config} from '../config/resolve.js'
import {UsageError} from '../errors.js'
import {inventoryFlags, lockFlags, sshFlags, sshOverrides} from '../flags.js'
import {provisionOutcome} from '../inventory/outcomes.js'
import type {InventoryReport} from '../inventory/run.js'
import {provisionHost, type ProvisionOptions, type ProvisionReport, validateStepNames} from '../provision/runner.js'
import {provisionSettings} from '../provision/settings.js'
import {STEP_NAMES, type StepName} from '../provision/steps.js'
import {renderPlan, renderStepDone, renderSummary} from '../ux/plan.js'
import {terminalPrompter} from '../ux/prompts.js'

export default class SetupClient extends BaseCommand<typeof SetupClient> {
  static summary = 'Provision the EC2 Kafka client: Java, Kafka 2.8.1, IAM jar, client.properties, REST proxy'
  static description =
    `Reads the host's facts in one remote command, prints a plan, and changes only what differs, over one SSH ` +
    `connection. Re-running on a provisioned host changes nothing and says so. Steps: ${STEP_NAMES.join(', ')}.`
  static examples = [
    '<%= config.bin %> setup-client --dry-run',
    '<%= config.bin %> setup-client --diff --yes',
    '<%= config.bin %> setup-client --only client-properties,rest-properties --diff',
    '<%= config.bin %> setup-client --mirror http://10.0.0.5:8000 --auth plaintext --bootstrap-servers 10.0.0.7:9092',
    '<%= config.bin %> setup-client --json --yes',
    '<%= config.bin %> setup-client --inventory hosts.yaml --yes --concurrency 4',
  ]
  static flags = {
    ...sshFlags,
    ...lockFlags,
    ...inventoryFlags,
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

  async run(): Promise<ProvisionReport | InventoryReport<ProvisionReport>> {
    const overrides = {
      ...sshOverrides(this.flags),
      mirror: this.flags.mirror,
      auth: this.flags.auth,
      bootstrapServers: this.flags['bootstrap-servers'],
    }
    const only = validateStepNames(this.flags.only, '--only')
    const skip = validateStepNames(this.flags.skip, '--skip')
    const both = only?.filter((name) => skip?.includes(name)) ?? []
    if (both.length > 0) {
      throw new UsageError(`--only and --skip both name ${both.join(', ')}`, 'a step is either run or skipped: drop it from one of them')
    }
    const interactive = Boolean(this.factory.terminal.stdin.isTTY) && !this.flags.yes && !this.jsonEnabled()
    if (this.flags.inventory) {
      if (interactive && !this.flags['dry-run']) {
        throw new UsageError('--inventory changes many hosts without asking', 'pass --yes (or --dry-run to see what would change)')
      }
      return this.onEveryHost(overrides, async ({config, label}, signal) => {
        const onNote = (message: string) => this.reporter.info(`[${label}] ${message}`)
        return provisionOutcome(await provisionHost({...this.provisionOptions(config, only, skip), signal, onNote}))
      })
    }
    const options = this.provisionOptions(this.settings(overrides), only, skip)
    const {target} = options
    const reporter = this.reporter
    this.reporter.step(`connecting to ${target.user}@${target.host}:${target.port}`)
    const report = await provisionHost({
      ...options,
      confirm: interactive ? () => terminalPrompter.confirm({message: 'Apply these changes?', default: true}) : undefined,
      onPlan: (plan, facts) => renderPlan(reporter, plan, facts, `${target.user}@${target.host}`, this.flags.diff),
      onStepStart: (step) => reporter.step(`${step.name}: ${step.decision.summary}`),
      onStepProgress: (step, elapsed) => reporter.progress(`  … ${step.name}: still running (${Math.round(elapsed / 1000)}s)`),
      onStepDone: (step) => renderStepDone(reporter, step),
      onNote: (message) => reporter.info(message),
      signal: this.abort.signal,
      onLockWait: (holder, waited) => this.reportLockWait(holder, waited),
    })
    renderSummary(reporter, report)
    return report
  }

  /** What a run on one host needs from its config and the flags, whether one host or an inventory's. */
  private provisionOptions(config: Config, only?: StepName[], skip?: StepName[]): ProvisionOptions {
    return {
      ...provisionSettings(config, {confluent: this.flags['confluent-sha512']}, this.awsSettings(config)),
      dryRun: this.flags['dry-run'],
      only,
      skip,
      command: 'setup-client',
      lockTimeoutMs: this.flags['lock-timeout'],
      openSession: this.factory.openSession,
    }
  }
}
