// Node's compile cache (V8's code for every module loaded after it is on) spares each run after the first the
// compiling of oclif, the commands and the AWS SDK. It lives in the user's cache dir, never in the package (a global
// install may be read-only or shared). Node's own NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE win; a cache that
// cannot be made or written is Node's to skip, silently.
import module from 'node:module'
import {homedir} from 'node:os'
import {join} from 'node:path'

export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  // Node 22.0 has no module.enableCompileCache (22.1 has).
  if (typeof module.enableCompileCache !== 'function') return
  try {
    module.enableCompileCache(join(pinctlCacheDir(env), 'compile-cache'))
  } catch {
    // a start without the cache is only slower
  }
}

/** Where oclif's config.cacheDir is (the autocomplete plugin writes there too): PINCTL_CACHE_DIR, else the platform's. */
export function pinctlCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  if (env.PINCTL_CACHE_DIR) return env.PINCTL_CACHE_DIR
  const home = env.HOME || homedir()
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'pinctl')
  const base = env.XDG_CACHE_HOME || (platform === 'win32' && env.LOCALAPPDATA) || join(home, '.cache')
  return join(base, 'pinctl')
}
