import type {InventoryHost} from '../inventory/load.js'
import type {HostOutcome, InventoryReport} from '../inventory/run.js'
import type {Reporter} from './output.js'

const MARK: Record<HostOutcome<unknown>['status'], [string, Parameters<Reporter['paint']>[0]]> = {
  changed: ['~', 'yellow'],
  ok: ['✓', 'green'],
  failed: ['✗', 'red'],
  interrupted: ['-', 'dim'],
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`

/** One line when a host starts and one when it ends, each naming the host, so interleaved lines stay readable. */
export function hostProgress(reporter: Reporter, command: string) {
  return {
    onHostStart: (host: InventoryHost) =>
      reporter.step(`[${host.index}] ${host.label} (${host.config.userId ?? 'no user id'}): ${command}…`),
    onHostDone: (outcome: HostOutcome<unknown>) => {
      const [mark, style] = MARK[outcome.status]
      const detail = outcome.detail ? `: ${outcome.detail}` : ''
      const time = seconds(outcome.durationMs)
      reporter.info(`${reporter.paint(style, mark)} [${outcome.index}] ${outcome.host} ${outcome.status} in ${time}${detail}`)
    },
  }
}

/** The table after the run: host, user id, result, time; then one line of totals. */
export function renderInventorySummary(reporter: Reporter, report: InventoryReport<unknown>): void {
  const rows = report.hosts.map((outcome) => [
    outcome.host,
    outcome.userId ?? '-',
    outcome.exitCode === 0 ? outcome.status : `${outcome.status} (exit ${outcome.exitCode})`,
    outcome.durationMs > 0 ? seconds(outcome.durationMs) : '-',
  ])
  const header = ['HOST', 'USER ID', 'RESULT', 'TIME']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)))
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd()
  reporter.info('')
  reporter.info(reporter.paint('bold', line(header)))
  for (const row of rows) reporter.info(line(row))
  const {changed, ok, failed, interrupted} = report.counts
  const stopped = interrupted ? `, ${interrupted} interrupted` : ''
  const totals = `${report.hosts.length} host(s): ${changed} changed, ${ok} ok, ${failed} failed${stopped} in ${seconds(report.durationMs)}`
  if (report.exitCode === 0) reporter.success(totals)
  else {
    const why = failed > 0 ? ['the line of each failed host above says why'] : []
    const again = interrupted > 0 ? ['run the same command again to finish the interrupted host(s)'] : []
    reporter.error(`${totals} (exit ${report.exitCode}, the worst host's)`, [...why, ...again].join('; '))
  }
}
