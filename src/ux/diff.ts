import type {Reporter} from './output.js'

/** A unified diff indented under a message, + lines green and - lines red (NO_COLOR honoured by the reporter). */
export function renderDiff(reporter: Reporter, diff: string, indent = '    '): string {
  return diff
    .trimEnd()
    .split('\n')
    .filter((line) => !line.startsWith('===') && !line.startsWith('Index:'))
    .map((line) => {
      const style =
        line.startsWith('+') && !line.startsWith('+++') ? 'green' : line.startsWith('-') && !line.startsWith('---') ? 'red' : 'dim'
      return `${indent}${reporter.paint(style, line)}`
    })
    .join('\n')
}
