import {readFileSync} from 'node:fs'
import {text} from 'node:stream/consumers'

import {ConfigError} from '../errors.js'
import {shown} from '../ux/printable.js'

/** Records from --data, a .jsonl file or stdin: one JSON value (an array is a list of records), or JSON lines. */
export function parseRecordsInput(text: string, source: string): unknown[] {
  const trimmed = text.trim()
  if (!trimmed) throw new ConfigError(`no records in ${source}`, 'give one JSON object per line, or a JSON array')
  try {
    const whole = JSON.parse(trimmed) as unknown
    return Array.isArray(whole) ? whole : [whole]
  } catch {
    // not one JSON value: JSON lines
  }
  return trimmed
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      try {
        return JSON.parse(line) as unknown
      } catch (error) {
        throw new ConfigError(
          `line ${index + 1} of ${source} is not JSON: ${(error as Error).message}`,
          'records are JSON values, one per line, or one JSON array',
        )
      }
    })
}

/** Where produce's records come from: --data, --file (- for stdin), or piped stdin. */
export interface RecordsSource {
  data?: string
  file?: string
}

/** Reads the records of one produce run; a terminal on stdin with nothing given is the user's mistake. */
export async function readRecordsInput(source: RecordsSource, stdin: NodeJS.ReadableStream & {isTTY?: boolean}): Promise<unknown[]> {
  if (source.data !== undefined) return parseRecordsInput(source.data, '--data')
  if (source.file && source.file !== '-') {
    let content: string
    try {
      content = readFileSync(source.file, 'utf8')
    } catch (error) {
      throw new ConfigError(
        `cannot read ${shown(source.file)}: ${(error as Error).message}`,
        'give a file with one JSON record per line (or a JSON array), or - for stdin',
      )
    }
    return parseRecordsInput(content, source.file)
  }
  if (stdin.isTTY) throw new ConfigError('no records given', 'pass --data, --file, or pipe JSON lines to stdin')
  return parseRecordsInput(await text(stdin), 'stdin')
}
