import {randomBytes} from 'node:crypto'
import {mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

import {ConfigError} from './errors.js'

export interface AtomicWriteOptions {
  /** Permission bits of the new file (before the umask): 0o644 for a config, 0o400 for a private key. */
  mode: number
  /** Permission bits of a directory created for it; the default (0o777 before the umask) otherwise. */
  dirMode?: number
  /** Named in the error before the path, e.g. `key file`. */
  what?: string
}

/**
 * Writes the whole file or nothing: a temp file in the same directory (so the rename stays on one file system),
 * then a rename over the target. A crash never leaves half a file, and a reader sees the old or the new content.
 */
export function writeFileAtomically(path: string, content: string, options: AtomicWriteOptions): void {
  const dir = dirname(path)
  mkdirSync(dir, {recursive: true, ...(options.dirMode === undefined ? {} : {mode: options.dirMode})})
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    writeFileSync(temp, content, {mode: options.mode, flag: 'wx'})
    renameSync(temp, path)
  } catch (error) {
    rmSync(temp, {force: true})
    const what = options.what ? `${options.what} ` : ''
    throw new ConfigError(`cannot write ${what}${path}: ${(error as Error).message}`, 'check that the directory is writable')
  }
}
