import {Flags} from '@oclif/core'

import {BaseCommand} from '../base-command.js'
import type {Config} from '../config/resolve.js'
import {type DoctorReport, LAYER_NAMES, type LayerName} from '../doctor/checks.js'
import {runDoctor} from '../doctor/doctor.js'
import {ConfigError, VerifyError} from '../errors.js'
import {dbCredsFlags, kafkaFlags, sshFlags, sshOverrides} from '../flags.js'
import {renderDoctorSummary, renderLayer} from '../ux/doctor.js'

export default class Doctor extends BaseCommand<typeof Doctor> {
  static summary = 'Check every layer of the pipeline and name the fix for what is wrong'
  static description = `Layers, in order: ${LAYER_NAMES.join(', ')}. Each check is ok, warn, fail or skip (a layer is skipped, with the reason, when a check it needs failed). Host checks read the host in one remote command over one SSH connection; nothing is changed, except that a host key seen for the first time is recorded (trust on first use). Exits 0 when nothing failed, 6 when a check failed (after printing every check).`
  static examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --layer host,rest-proxy',
    "<%= config.bin %> doctor --json | jq '.checks[] | select(.status == \"fail\")'",
  ]
  static flags = {
    ...sshFlags,
    ...kafkaFlags,
    ...dbCredsFlags,
    auth: Flags.option({options: ['iam', 'plaintext'] as const, description: 'how the client authenticates to Kafka (default iam)'})(),
    layer: Flags.option({options: LAYER_NAMES, description: 'run only these layers (and the layers they need), comma-separated', multiple: true, delimiter: ','})(),
  }

  async run(): Promise<DoctorReport> {
    let config: Config | undefined
    let configError: unknown
    try {
      config = this.settings({...sshOverrides(this.flags), bootstrapServers: this.flags['bootstrap-servers'], auth: this.flags.auth, dbCreds: this.flags['db-creds']})
    } catch (error) {
      // An invalid config is the first finding, not a reason to stop: report it as local/config.
      if (!(error instanceof ConfigError)) throw error
      configError = error
    }
    const report = await runDoctor({
      config,
      configError,
      layers: this.flags.layer as LayerName[] | undefined,
      signal: this.abort.signal,
      onLayerStart: (layer) => this.reporter.step(`checking ${layer.name}…`),
      onLayer: (layer, checks) => renderLayer(this.reporter, layer, checks),
      openSession: this.factory.openSession,
    })
    renderDoctorSummary(this.reporter, report.checks)
    if (!report.ok) {
      const failed = report.checks.filter((check) => check.status === 'fail')
      this.failAfterResult(new VerifyError(`${failed.length} check(s) failed: ${failed.map((check) => `${check.layer}/${check.name}`).join(', ')}`, 'each failed check above names its fix'))
    }
    return report
  }
}
