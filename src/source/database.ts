import type {Pool} from 'mysql2/promise'

import {type PinctlError, RemoteCommandError} from '../errors.js'
import {type RecordKind, RECORD_KINDS} from '../kafka/records.js'
import type {DbCreds} from './creds.js'
import {castField, rowToRecord, SOURCE_TABLES} from './rows.js'

/** Connect and query timeout: a database that does not answer is reported within 10 s. */
export const DB_TIMEOUT_MS = 7000

/** The source database: one small pool for a run, closed by `close()`. */
export class SourceDatabase {
  private constructor(
    private readonly pool: Pool,
    readonly creds: DbCreds,
  ) {}

  static async open(creds: DbCreds): Promise<SourceDatabase> {
    const {createPool} = await import('mysql2/promise')
    const pool = createPool({
      host: creds.host,
      port: creds.port,
      user: creds.user,
      password: creds.password,
      database: creds.database,
      connectionLimit: RECORD_KINDS.length,
      connectTimeout: DB_TIMEOUT_MS,
      charset: 'utf8mb4',
      decimalNumbers: true,
      typeCast: castField as never,
    })
    // An idle pool connection that dies (server restart) is reported by the next query, not as an uncaught event.
    pool.on('connection', (connection) => connection.on('error', () => {}))
    return new SourceDatabase(pool, creds)
  }

  /** Logs in (a query that reads no table): the login and the database name are checked, nothing else. */
  async ping(): Promise<void> {
    await this.query(undefined, 'SELECT 1')
  }

  /** Rows in a kind's table. */
  async rowCount(kind: RecordKind): Promise<number> {
    const rows = await this.query<{rows: number}>(kind, `SELECT COUNT(*) AS \`rows\` FROM \`${SOURCE_TABLES[kind]}\``)
    return Number(rows[0]?.rows ?? 0)
  }

  /** Rows in each of the three tables. */
  async rowCounts(): Promise<Record<RecordKind, number>> {
    const counts = {} as Record<RecordKind, number>
    for (const kind of RECORD_KINDS) counts[kind] = await this.rowCount(kind)
    return counts
  }

  /** Row number `offset` (0-based, in the table's own order) of a kind's table, read with LIMIT offset, 1. */
  async rowAt(kind: RecordKind, offset: number): Promise<Record<string, unknown> | undefined> {
    const rows = await this.query<Record<string, unknown>>(kind, `SELECT * FROM \`${SOURCE_TABLES[kind]}\` LIMIT ?, 1`, [offset])
    return rows[0] ? rowToRecord(rows[0]) : undefined
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {})
  }

  private async query<T>(kind: RecordKind | undefined, sql: string, values: unknown[] = []): Promise<T[]> {
    try {
      const [rows] = await this.pool.query({sql, values, timeout: DB_TIMEOUT_MS})
      return rows as T[]
    } catch (error) {
      throw databaseError(error, this.creds, kind && SOURCE_TABLES[kind])
    }
  }
}

/**
 * A driver error as exit 5 with the cause and where to fix it. The password is masked in anything
 * taken from the driver (MySQL messages name the user, not the password, but a proxy or a future driver might).
 */
export function databaseError(error: unknown, creds: DbCreds, table?: string): PinctlError {
  const {code, sqlMessage, message} = error as {code?: string; sqlMessage?: string; message?: string}
  const mask = (text: string) => (creds.password ? text.replaceAll(creds.password, '********') : text)
  const why = mask(sqlMessage ?? message ?? String(error))
  const where = `${creds.host}:${creds.port}`
  const file = creds.file
  const network = networkHint(creds)
  switch (code) {
    case 'ECONNREFUSED':
      return new RemoteCommandError(`cannot reach the database at ${where}: connection refused`, network)
    case 'ETIMEDOUT':
    case 'PROTOCOL_SEQUENCE_TIMEOUT':
      return new RemoteCommandError(`the database at ${where} did not answer within ${DB_TIMEOUT_MS / 1000} s`, network)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new RemoteCommandError(`cannot resolve the database host ${creds.host}`, `check HOST in ${file}`)
    case 'ECONNRESET':
    case 'PROTOCOL_CONNECTION_LOST':
      return new RemoteCommandError(`the database at ${where} closed the connection: ${why}`, network)
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_HOST_NOT_PRIVILEGED':
    case 'ER_DBACCESS_DENIED_ERROR':
      return new RemoteCommandError(`the database at ${where} refused the login: ${why}`, `check USER, PASSWORD and DATABASE in ${file}`)
    case 'ER_BAD_DB_ERROR':
      return new RemoteCommandError(`database ${creds.database} does not exist on ${where}`, `check DATABASE in ${file}`)
    case 'ER_NO_SUCH_TABLE':
    case 'ER_TABLEACCESS_DENIED_ERROR':
      return new RemoteCommandError(
        `table ${table ?? '?'} is not readable in database ${creds.database}: ${why}`,
        `the emulator reads ${Object.values(SOURCE_TABLES).join(', ')}: check DATABASE in ${file} and the table names`,
      )
    default:
      return new RemoteCommandError(`the database at ${where} failed: ${why}${code ? ` (${code})` : ''}`, `check the database and ${file}`)
  }
}

/** Where to look when the database cannot be reached: the file's HOST and PORT, and for RDS its security group. */
export function networkHint(creds: Pick<DbCreds, 'file' | 'port'>): string {
  return `check HOST and PORT in ${creds.file}; on RDS, its security group needs an inbound rule for port ${creds.port} from this machine`
}

export function emptyTableHint(creds: Pick<DbCreds, 'file'>): string {
  return `fill the tables, or check DATABASE in ${creds.file}`
}
