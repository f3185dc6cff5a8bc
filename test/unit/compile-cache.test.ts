import {describe, expect, it} from 'vitest'

import {pinctlCacheDir} from '../../src/cli/compile-cache.js'

describe('pinctlCacheDir (where the compile cache goes)', () => {
  it.each([
    [{HOME: '/h'}, 'linux', '/h/.cache/pinctl'],
    [{HOME: '/h', XDG_CACHE_HOME: '/xdg'}, 'linux', '/xdg/pinctl'],
    [{HOME: '/h', XDG_CACHE_HOME: '/xdg', PINCTL_CACHE_DIR: '/mine'}, 'linux', '/mine'],
    [{HOME: '/h', XDG_CACHE_HOME: '/xdg'}, 'darwin', '/h/Library/Caches/pinctl'],
  ] as const)('%j on %s: %s', (env, platform, dir) => {
    expect(pinctlCacheDir(env, platform)).toBe(dir)
  })
})
