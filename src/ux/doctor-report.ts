import type {Check, CheckStatus, LayerSpec} from '../doctor/checks.js'
import type {Reporter} from './output.js'

const MARK: Record<CheckStatus, [string, Parameters<Reporter['paint']>[0]]> = {
  ok: ['✓', 'green'],
  warn: ['!', 'yellow'],
  fail: ['✗', 'red'],
  skip: ['-', 'dim'],
}

/** One layer of the doctor table: a heading, one line per check, the fix under anything not ok. */
export function renderLayer(reporter: Reporter, layer: LayerSpec, checks: Check[]): void {
  reporter.info(`${reporter.paint('bold', layer.name)} ${reporter.paint('dim', `— ${layer.title}`)}`)
  const width = Math.max(12, ...checks.map((check) => check.name.length)) + 2
  for (const check of checks) {
    const [mark, style] = MARK[check.status]
    const detail = check.status === 'skip' ? reporter.paint('dim', `skipped: ${check.detail}`) : check.detail
    reporter.info(`  ${reporter.paint(style, mark)} ${check.name.padEnd(width)}${detail}`)
    if (check.fix && check.status !== 'ok') reporter.info(`    ${' '.repeat(width)}${reporter.paint('dim', 'fix:')} ${check.fix}`)
  }
}

export function renderDoctorSummary(reporter: Reporter, checks: Check[]): void {
  const counts: Record<CheckStatus, number> = {ok: 0, warn: 0, fail: 0, skip: 0}
  for (const check of checks) counts[check.status]++
  const line = `${counts.ok} ok, ${counts.warn} warning(s), ${counts.fail} failed, ${counts.skip} skipped`
  if (counts.fail === 0) reporter.success(line)
  else reporter.info(`${reporter.paint('red', '✗')} ${line}`)
}
