import type {Config} from '../config/resolve.js'
import {ConfigError, RemoteCommandError} from '../errors.js'
import {randomSource, type PostRecords, RECORD_KINDS, type RecordKind} from '../kafka/records.js'
import {readDbCreds} from './creds.js'
import {emptyTableHint, SourceDatabase} from './database.js'
import {SOURCE_TABLES} from './rows.js'

export type SourceKind = 'generator' | 'db'

/** Where `emulate` takes its records from, and what it tells the user about it. */
export interface RecordSource {
  /** undefined: the generator. */
  records?: (index: number) => Promise<PostRecords>
  description: string
}

/** The creds file from --db-creds, PINCTL_DB_CREDS or `dbCreds` in the config; a ConfigError naming them when unset. */
export function dbCredsFile(config: Config): string {
  if (!config.dbCreds) {
    const how = 'pass --db-creds db_creds.yaml, or set PINCTL_DB_CREDS (or dbCreds in the config file)'
    throw new ConfigError('no database credentials file configured', how)
  }
  return config.dbCreds
}

/**
 * Runs `work` with the records of one source. For the database: one pool for the whole run (closed
 * afterwards, also on error or Ctrl-C); the row counts are read once, before the first post, so a bad
 * file, an unreachable database or a missing table stops the run before anything is sent.
 */
export async function withRecordSource<T>(
  kind: SourceKind,
  config: Config,
  seed: number,
  work: (source: RecordSource) => Promise<T>,
): Promise<T> {
  if (kind === 'generator') return work({description: `generated records (seed ${seed})`})
  const creds = readDbCreds(dbCredsFile(config))
  const db = await SourceDatabase.open(creds)
  try {
    const counts = await db.rowCounts()
    const rows = Math.min(...RECORD_KINDS.map((k) => counts[k]))
    const empty = RECORD_KINDS.find((k) => counts[k] === 0)
    if (empty) {
      throw new RemoteCommandError(`table ${SOURCE_TABLES[empty]} in database ${creds.database} has no rows`, emptyTableHint(creds))
    }
    const description = `rows of ${creds.database} on ${creds.host}:${creds.port} (${rows} per table)`
    return await work({records: databaseRecords(db, rows, seed), description})
  } finally {
    await db.close()
  }
}

/** Each post reads one random row number r in [0, rows) of all three tables, so the three records belong together. */
export function databaseRecords(db: Pick<SourceDatabase, 'rowAt'>, rows: number, seed: number): (index: number) => Promise<PostRecords> {
  const random = randomSource(seed)
  return async () => {
    const offset = Math.floor(random() * rows)
    const read = await Promise.all(RECORD_KINDS.map(async (kind) => [kind, await db.rowAt(kind, offset)] as const))
    const missing = read.find(([, row]) => row === undefined)
    if (missing) {
      throw new RemoteCommandError(`row ${offset} of ${SOURCE_TABLES[missing[0] as RecordKind]} is gone (the table shrank during the run)`)
    }
    return Object.fromEntries(read) as PostRecords
  }
}
