import type {Config} from '../config/resolve.js'
import {RECORD_KINDS} from '../kafka/records.js'
import {readDbCreds, type DbCreds} from '../source/creds.js'
import {emptyTableHint, networkHint, SourceDatabase} from '../source/database.js'
import {SOURCE_TABLES} from '../source/rows.js'
import {type Check, checkFromError} from './checks.js'
import {probeTcp, type TcpResult} from './ssh.js'

const layer = 'source' as const
const skip = (name: string, detail: string): Check => ({layer, name, status: 'skip', detail})

/**
 * The source database of `emulate --source db`, when a db_creds.yaml is configured: the file, the
 * server reachable over TCP, the login, and the three tables with their row counts.
 */
export async function sourceChecks(config: Config): Promise<Check[]> {
  if (!config.dbCreds) {
    return [skip('source', 'no database credentials file configured (--db-creds, PINCTL_DB_CREDS or dbCreds in the config)')]
  }
  let creds: DbCreds
  try {
    creds = readDbCreds(config.dbCreds)
  } catch (error) {
    return [checkFromError(layer, 'creds', error), skip('reachable', 'needs source/creds')]
  }
  const detail = `${creds.file}: ${creds.user}@${creds.host}:${creds.port}/${creds.database}`
  const checks: Check[] = [{layer, name: 'creds', status: 'ok', detail}]
  const reachable = evaluateDbReachable(await probeTcp(creds.host, creds.port), creds)
  checks.push(reachable)
  if (reachable.status !== 'ok') return [...checks, skip('login', 'needs source/reachable'), skip('tables', 'needs source/login')]
  const db = await SourceDatabase.open(creds)
  try {
    try {
      await db.ping()
      checks.push({layer, name: 'login', status: 'ok', detail: `logged in as ${creds.user}, database ${creds.database}`})
    } catch (error) {
      return [...checks, checkFromError(layer, 'login', error), skip('tables', 'needs source/login')]
    }
    const counts: string[] = []
    for (const kind of RECORD_KINDS) {
      try {
        counts.push(`${SOURCE_TABLES[kind]} ${await db.rowCount(kind)}`)
      } catch (error) {
        checks.push(checkFromError(layer, 'tables', error))
        return checks
      }
    }
    const empty = counts.filter((count) => count.endsWith(' 0'))
    const rows = `rows: ${counts.join(', ')}`
    checks.push(
      empty.length > 0
        ? {layer, name: 'tables', status: 'fail', detail: `empty: ${empty.join(', ')} (${rows})`, fix: emptyTableHint(creds)}
        : {layer, name: 'tables', status: 'ok', detail: rows},
    )
    return checks
  } finally {
    await db.close()
  }
}

export function evaluateDbReachable(result: TcpResult, creds: DbCreds): Check {
  const where = `${creds.host}:${creds.port}`
  if (result.ok) return {layer, name: 'reachable', status: 'ok', detail: `TCP ${where} accepts connections`}
  const fix = networkHint(creds)
  const detail = result.code === 'ECONNREFUSED' ? `${where} refused the connection` : `${where} not reachable (${result.code})`
  return {layer, name: 'reachable', status: 'fail', detail, fix}
}
