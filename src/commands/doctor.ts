import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import type {Config} from '../config/resolve.js'
import {type DoctorReport, failedChecksMessage, LAYER_NAMES, type LayerName} from '../doctor/checks.js'
import {runDoctor} from '../doctor/run.js'
import {ConfigError, VerifyError} from '../errors.js'
import {dbCredsFlags, inventoryFlags, kafkaFlags, sshFlags, sshOverrides} from '../flags.js'
import {doctorOutcome} from '../inventory/outcomes.js'
import type {InventoryReport} from '../inventory/run.js'
import {renderDoctorSummary, renderLayer} from '../ux/doctor-report.js'

export default class Doctor extends BaseCommand<typeof Doctor> {
  static summary = 'Check every layer of the pipeline and name the fix for what is wrong'
  static description =
    `Layers, in order: ${LAYER_NAMES.join(', ')}. Each check is ok, warn, fail or skip (a layer is skipped, with the ` +
    `reason, when a check it needs failed). Host checks read the host in one remote command over one SSH connection; nothing is changed, ` +
    `except that a host key seen for the first time is recorded (trust on first use). Exits 0 when nothing failed, 6 when a check failed ` +
    `(after printing every check).`
  static examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --layer host,rest-proxy',
    '<%= config.bin %> doctor --json | jq \'.checks[] | select(.status == "fail")\'',
    '<%= config.bin %> doctor --inventory hosts.yaml --layer ssh,host',
  ]
  static flags = {
    ...sshFlags,
    ...kafkaFlags,
    ...dbCredsFlags,
    ...inventoryFlags,
    auth: Flags.option({options: ['iam', 'plaintext'] as const, description: 'how the client authenticates to Kafka (default iam)'})(),
    layer: Flags.option({
      options: LAYER_NAMES,
      description: 'run only these layers (and the layers they need), comma-separated',
      multiple: true,
      delimiter: ',',
    })(),
  }

  async run(): Promise<DoctorReport | InventoryReport<DoctorReport>> {
    const overrides = {
      ...sshOverrides(this.flags),
      bootstrapServers: this.flags['bootstrap-servers'],
      auth: this.flags.auth,
      dbCreds: this.flags['db-creds'],
    }
    const layers = this.flags.layer as LayerName[] | undefined
    if (this.flags.inventory) {
      return this.onEveryHost(overrides, async ({config}, signal) =>
        doctorOutcome(
          await runDoctor({config, layers, signal, openSession: this.factory.openSession, awsClients: this.factory.awsClients}),
        ),
      )
    }
    let config: Config | undefined
    let configError: unknown
    try {
      config = this.settings(overrides)
    } catch (error) {
      // An invalid config is the first finding, not a reason to stop: report it as local/config.
      if (!(error instanceof ConfigError)) throw error
      configError = error
    }
    const report = await runDoctor({
      config,
      configError,
      layers,
      signal: this.abort.signal,
      onLayerStart: (layer) => this.reporter.step(`checking ${layer.name}…`),
      onLayer: (layer, checks) => renderLayer(this.reporter, layer, checks),
      openSession: this.factory.openSession,
      awsClients: this.factory.awsClients,
    })
    renderDoctorSummary(this.reporter, report.checks)
    if (!report.ok) {
      this.failAfterResult(new VerifyError(failedChecksMessage(report), 'each failed check above names its fix'))
    }
    return report
  }
}
