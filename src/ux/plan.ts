import type {PlannedStep, ProvisionReport, StepReport} from '../provision/runner.js'
import type {HostFacts} from '../host/facts.js'
import {renderDiff} from './diff.js'
import type {Reporter} from './output.js'

const MARK: Record<string, [string, Parameters<Reporter['paint']>[0]]> = {
  ok: ['✓', 'green'],
  change: ['~', 'yellow'],
  skipped: ['-', 'dim'],
}

export function renderPlan(reporter: Reporter, plan: PlannedStep[], facts: HostFacts, host: string, showDiff: boolean): void {
  const java = facts.javaMajor ? `Java ${facts.javaMajor}` : 'no Java'
  reporter.info(`Plan for ${host} (${facts.os.id} ${facts.os.version}, ${java}, ${facts.systemd ? 'systemd' : 'no systemd'}):`)
  for (const step of plan) {
    const [mark, style] = MARK[step.decision.status]
    reporter.info(`  ${reporter.paint(style, mark)} ${step.name.padEnd(18)} ${step.decision.summary}`)
    if (showDiff && 'diff' in step.decision && step.decision.diff) reporter.info(renderDiff(reporter, step.decision.diff, '      '))
  }
}

export function renderStepDone(reporter: Reporter, step: StepReport): void {
  if (step.durationMs === undefined) return
  const seconds = (step.durationMs / 1000).toFixed(1)
  if (step.status === 'failed') reporter.info(`  ${reporter.paint('red', '✗')} ${step.name} failed after ${seconds}s`)
  else reporter.success(`${step.name} ${step.status} (${seconds}s)`)
}

export function renderSummary(reporter: Reporter, report: ProvisionReport): void {
  const counts = {ok: 0, changed: 0, skipped: 0, 'would-change': 0}
  for (const step of report.steps) if (step.status in counts) counts[step.status as keyof typeof counts]++
  const ssh = `${report.ssh.connections} SSH connection, ${report.ssh.execs} remote commands`
  const seconds = (report.durationMs / 1000).toFixed(1)
  if (report.dryRun) {
    reporter.info(`dry run: ${counts['would-change']} step(s) would change, ${counts.ok} ok; nothing was changed (${ssh}, ${seconds}s)`)
  } else if (report.aborted) {
    reporter.info('not confirmed: nothing was changed')
  } else if (counts.changed === 0) {
    reporter.success(`nothing to change: the host is already provisioned and verified (${ssh}, ${seconds}s)`)
  } else {
    reporter.success(`${counts.changed} changed, ${counts.ok} ok, ${counts.skipped} skipped in ${seconds}s (${ssh})`)
  }
}
