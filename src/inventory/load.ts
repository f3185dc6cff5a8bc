import {readFileSync} from 'node:fs'
import {resolve as resolvePath} from 'node:path'

import {resolveConfig, type Config, type ResolveOptions} from '../config/resolve.js'
import {ConfigError} from '../errors.js'

/** One host of an inventory: its entry merged over the base config (files, environment, flags). */
export interface InventoryHost {
  /** 1-based position in the file, as messages name it. */
  index: number
  /** user@host:port, how progress lines and the summary name the host. */
  label: string
  config: Config
}

const HINT = 'an inventory is a JSON or YAML list of settings objects, e.g. [{"userId": "12b287eedf6d", "host": "10.0.0.5"}]'

/**
 * Reads an --inventory file (JSON, or YAML when it does not parse as JSON; YAML is a superset anyway)
 * and resolves each entry as the top config layer over `base`. Any bad entry refuses the whole run
 * before a host is touched, naming the file and the entry.
 */
export async function loadInventory(file: string, base: ResolveOptions = {}): Promise<InventoryHost[]> {
  const path = resolvePath(base.cwd ?? process.cwd(), file)
  const data = await parseInventoryText(readInventoryFile(path, file), file)
  if (!Array.isArray(data)) throw new ConfigError(`inventory file ${file} must hold a list of hosts`, HINT)
  if (data.length === 0) throw new ConfigError(`inventory file ${file} lists no hosts`, HINT)
  const hosts = data.map((entry: unknown, position): InventoryHost => {
    const source = `inventory file ${file}, entry ${position + 1}`
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new ConfigError(`${source} is not a settings object`, HINT)
    }
    const config = resolveConfig({...base, entry: {source, settings: entry as Record<string, unknown>}})
    if (!config.host) throw new ConfigError(`${source} names no host`, 'give every entry a "host" (or set --host / PINCTL_HOST for all)')
    return {index: position + 1, label: `${config.sshUser}@${config.host}:${config.sshPort}`, config}
  })
  refuseDuplicates(hosts, file)
  return hosts
}

function readInventoryFile(path: string, file: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`cannot read inventory file ${file}: ${(error as Error).message}`, 'check the path given to --inventory')
  }
}

async function parseInventoryText(text: string, file: string): Promise<unknown> {
  try {
    return JSON.parse(text)
  } catch {
    // Not JSON: read it as YAML below.
  }
  // Loaded only here, so the start-up of every command (and --help) does not pay for the YAML parser.
  const {parse: parseYaml} = await import('yaml')
  try {
    return parseYaml(text)
  } catch (error) {
    const first = (error as Error).message.split('\n')[0]
    throw new ConfigError(`inventory file ${file} is neither JSON nor YAML: ${first}`, HINT)
  }
}

/** Two entries for one host would fight over its lock and its files: refuse them up front. */
function refuseDuplicates(hosts: InventoryHost[], file: string): void {
  const seen = new Map<string, number>()
  for (const host of hosts) {
    const earlier = seen.get(host.label)
    if (earlier !== undefined) {
      const message = `inventory file ${file}: entries ${earlier} and ${host.index} are the same host ${host.label}`
      throw new ConfigError(message, 'list each host once')
    }
    seen.set(host.label, host.index)
  }
}
