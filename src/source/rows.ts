import type {RecordKind} from '../kafka/records.js'

/** The source tables, one per record kind; each post reads the same row number of all three. */
export const SOURCE_TABLES: Record<RecordKind, string> = {pin: 'pinterest_data', geo: 'geolocation_data', user: 'user_data'}

/** The part of mysql2's field description that the type cast looks at. */
export interface CastField {
  type: string
  string: () => string | null
}

/**
 * mysql2 type cast: DATETIME, TIMESTAMP and DATE columns are read as the text the server sent and
 * turned into ISO-8601 ("2019-05-12 13:45:00" → "2019-05-12T13:45:00"), never into a Date in this
 * machine's time zone: the value posted is the one stored, whatever the zone of the machine that posts.
 */
export function castField(field: CastField, next: () => unknown): unknown {
  if (field.type === 'DATETIME' || field.type === 'TIMESTAMP' || field.type === 'DATE') {
    const text = field.string()
    return text === null ? null : text.replace(' ', 'T')
  }
  return next()
}

/** One row as a JSON-ready record: dates as ISO strings, binary text as UTF-8, big integers as numbers when exact. */
export function rowToRecord(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, jsonValue(value)]))
}

function jsonValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
  return value
}
