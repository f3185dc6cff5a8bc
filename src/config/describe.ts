import {existsSync} from 'node:fs'

import {type Config, configFiles, DERIVED_FROM_USER_ID, type ResolveOptions} from './resolve.js'
import {ENV_NAMES, type ConfigKey} from './schema.js'

export interface SettingReport {
  key: string
  /** null when nothing sets it and it has no default. */
  value: string | number | null
  /** "flag --user", "env PINCTL_USER", "file …", "user file …", "default", "derived from …", or "not set". */
  source: string
}

const KEYS = Object.keys(ENV_NAMES) as ConfigKey[]

/** Every setting of a resolved config with where its value came from, in the config file's key order. */
export function describeSettings(config: Config): SettingReport[] {
  const reports: SettingReport[] = KEYS.map((key) => ({key, value: config[key] ?? null, source: sourceOf(config, key)}))
  reports.push({
    key: 'topics',
    value: config.topics ? [config.topics.pin, config.topics.geo, config.topics.user].join(',') : null,
    source: config.topics ? 'derived from userId' : 'not set',
  })
  return reports
}

function sourceOf(config: Config, key: ConfigKey): string {
  const explicit = config.sources[key]
  if (explicit) return explicit
  if (config[key] === undefined) return 'not set'
  if (key === 'keyFile') return config.sources.keyPairName ? 'derived from keyPairName' : 'derived from userId'
  if (DERIVED_FROM_USER_ID.has(key)) return 'derived from userId'
  return 'default'
}

export interface ConfigFileReport {
  path: string
  kind: 'file' | 'user file'
  exists: boolean
  /** Why this file is read: --config / PINCTL_CONFIG, or the default place. */
  reason: string
}

/** The files pinctl reads settings from, highest precedence first. */
export function configFileReports(options: ResolveOptions = {}): ConfigFileReport[] {
  const {userFile, projectFile, explicit} = configFiles(options)
  return [
    {
      path: projectFile,
      kind: 'file',
      exists: existsSync(projectFile),
      reason: explicit ? 'named by --config or PINCTL_CONFIG' : './pinctl.json in the current directory',
    },
    {path: userFile, kind: 'user file', exists: existsSync(userFile), reason: 'the user file ($XDG_CONFIG_HOME/pinctl/config.json)'},
  ]
}
