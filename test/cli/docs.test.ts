import {execa} from 'execa'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {describe, expect, it} from 'vitest'

import {REPO} from './run-cli.js'

const pages = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
]

describe('README and docs/', () => {
  it("docs/commands.md and the README command index match the commands' help", async () => {
    const result = await execa(process.execPath, [join(REPO, 'scripts', 'commands-doc.mjs'), '--check'], {reject: false})
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
  })

  it('the README is the entry point: at most 20 KB, one exit-code table', () => {
    expect(statSync(join(REPO, 'README.md')).size).toBeLessThanOrEqual(20 * 1024)
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
    expect(readme.match(/^\| code \| meaning/gm)).toHaveLength(1)
    expect(readme).toMatch(/^## Quickstart\n[\s\S]*?^pinctl init /m)
  })

  it.each(pages)('%s links only to files inside the repository, and they exist', (page) => {
    const text = readFileSync(join(REPO, page), 'utf8')
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1])
    for (const target of targets) {
      expect(target, `${page} links ${target}`).not.toMatch(/^[a-z]+:/i)
      const file = resolve(dirname(join(REPO, page)), target.split('#')[0])
      expect(file.startsWith(`${REPO}/`), `${page} links ${target}, outside the repository`).toBe(true)
      expect(existsSync(file), `${page} links ${target}, which does not exist`).toBe(true)
    }
  })
})
