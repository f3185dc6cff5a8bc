import {readFileSync} from 'node:fs'

import {parseDocument} from 'yaml'

import {ConfigError} from '../errors.js'

/** The connection settings of the source database, as db_creds.yaml holds them. */
export interface DbCreds {
  host: string
  port: number
  user: string
  password: string
  database: string
  /** The file they were read from, for messages. */
  file: string
}

export const CREDS_KEYS = ['HOST', 'USER', 'PASSWORD', 'DATABASE', 'PORT'] as const
const HINT = `db_creds.yaml holds ${CREDS_KEYS.join(', ')} (e.g. "PORT: 3306"); pass its path with --db-creds or PINCTL_DB_CREDS`

export function readDbCreds(file: string): DbCreds {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new ConfigError(`cannot read the database credentials file ${file}: ${why}`, HINT)
  }
  return parseDbCreds(text, file)
}

/**
 * Parses db_creds.yaml. Every scalar is read as a string (YAML's failsafe schema), so a password such
 * as 0123 or yes is kept as written. Parse errors give only the position: the offending line could be the password.
 */
export function parseDbCreds(text: string, file: string): DbCreds {
  const document = parseDocument(text, {schema: 'failsafe'})
  if (document.errors.length > 0) {
    const error = document.errors[0]
    const where = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : ''
    throw new ConfigError(`the database credentials file ${file} is not valid YAML${where} (${error.code})`, HINT)
  }
  const data: unknown = document.toJS()
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError(`the database credentials file ${file} must be a YAML mapping of ${CREDS_KEYS.join(', ')}`, HINT)
  }
  const values = data as Record<string, unknown>
  const get = (key: (typeof CREDS_KEYS)[number]): string => {
    const value = values[key]
    if (value === undefined || value === null || value === '') {
      throw new ConfigError(`the database credentials file ${file} has no ${key}`, HINT)
    }
    if (typeof value !== 'string') throw new ConfigError(`${key} in the database credentials file ${file} must be a single value`, HINT)
    return value
  }
  const port = get('PORT')
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    throw new ConfigError(`PORT in the database credentials file ${file} must be a port number (1-65535), not "${port}"`, HINT)
  }
  return {host: get('HOST'), port: Number(port), user: get('USER'), password: get('PASSWORD'), database: get('DATABASE'), file}
}
