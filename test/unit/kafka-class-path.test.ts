import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {KAFKA_TOOL_FUNCTIONS} from '../../src/kafka/host-tools.js'
import {installArchiveScript} from '../../src/provision/remote-scripts.js'
import {KAFKA_LEFT_OUT} from '../../src/provision/steps.js'

const EGREP_WARNING = 'egrep: warning: egrep is obsolescent; using grep -E'
const RUN_CLASS = join(import.meta.dirname, '../../scripts/sandbox.d/kafka-dist/bin/kafka-run-class.sh')

/**
 * kafka-run-class.sh (the sandbox's, which leaves files out of the class path as Apache's does: egrep on
 * each name) run with a fake java that prints the class path it was given, and an egrep on PATH that
 * counts its calls before it hands over to the real one.
 */
function fakeKafka(libs: string[], options: {install?: (home: string) => void} = {}) {
  const root = mkdtempSync(join(tmpdir(), 'pinctl-cp-'))
  const home = join(root, 'home')
  const kafka = join(home, 'kafka_2.12-2.8.1')
  if (options.install) {
    mkdirSync(home)
    options.install(home)
  } else {
    mkdirSync(join(kafka, 'bin'), {recursive: true})
    mkdirSync(join(kafka, 'libs'))
    copyFileSync(RUN_CLASS, join(kafka, 'bin', 'kafka-run-class.sh'))
    chmodSync(join(kafka, 'bin', 'kafka-run-class.sh'), 0o755)
    for (const name of libs) writeFileSync(join(kafka, 'libs', name), 'x')
  }
  const jdk = join(root, 'jdk')
  mkdirSync(join(jdk, 'bin'), {recursive: true})
  writeFileSync(join(jdk, 'bin', 'java'), '#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = -cp ] && printf "%s\\n" "$2"; shift; done\n')
  chmodSync(join(jdk, 'bin', 'java'), 0o755)
  const shims = join(root, 'shims')
  mkdirSync(shims)
  const realEgrep = spawnSync('sh', ['-c', 'command -v egrep'], {encoding: 'utf8'}).stdout.trim()
  // Like GNU grep 3.8's egrep (RHEL 10, Arch, …; Debian's is quiet): a warning on every call.
  writeFileSync(join(shims, 'egrep'), `#!/bin/sh\necho x >> "${root}/egrep.calls"\necho '${EGREP_WARNING}' >&2\nexec "${realEgrep}" "$@"\n`)
  chmodSync(join(shims, 'egrep'), 0o755)
  const run = (prelude: string) => {
    writeFileSync(join(root, 'egrep.calls'), '')
    const script = `${KAFKA_TOOL_FUNCTIONS}\n${prelude}\n"$HOME"/kafka_2.12-2.8.1/bin/kafka-run-class.sh kafka.admin.TopicCommand --list`
    const result = spawnSync('sh', ['-c', script], {
      env: {PATH: `${shims}:${process.env.PATH}`, HOME: home, JAVA_HOME: jdk},
      encoding: 'utf8',
    })
    const classPath = result.stdout
      .trim()
      .split(':')
      .map((path) => path.slice(path.lastIndexOf('/') + 1))
    const egrepCalls = readFileSync(join(root, 'egrep.calls'), 'utf8').split('\n').filter(Boolean).length
    return {classPath, egrepCalls, warnings: result.stderr.split('\n').filter(Boolean).length}
  }
  return {run, libs: () => readdirSync(join(kafka, 'libs')).sort()}
}

/** A Kafka tarball laid out as Apache's: libs/ with runtime jars, the core project's extra artifacts and signatures. */
function apacheLikeTarball(): {url: string; sha512: string} {
  const root = mkdtempSync(join(tmpdir(), 'pinctl-tgz-'))
  const top = join(root, 'kafka_2.12-2.8.1')
  mkdirSync(join(top, 'bin'), {recursive: true})
  mkdirSync(join(top, 'libs'))
  copyFileSync(RUN_CLASS, join(top, 'bin', 'kafka-run-class.sh'))
  chmodSync(join(top, 'bin', 'kafka-run-class.sh'), 0o755)
  const core = ['', '-sources', '-javadoc', '-test', '-test-sources'].map((kind) => `kafka_2.12-2.8.1${kind}.jar`)
  for (const name of [...core, ...core.map((jar) => `${jar}.asc`), 'kafka-clients-2.8.1.jar', 'scala-library-2.12.13.jar'])
    writeFileSync(join(top, 'libs', name), 'x')
  const tarball = join(root, 'kafka.tgz')
  expect(spawnSync('tar', ['-czf', tarball, '-C', root, 'kafka_2.12-2.8.1']).status).toBe(0)
  return {url: `file://${tarball}`, sha512: createHash('sha512').update(readFileSync(tarball)).digest('hex')}
}

describe("Kafka tools: kafka-run-class.sh's class path without a grep per jar", () => {
  it('libs/ with nothing the script leaves out: the same class path, and no egrep at all', () => {
    const kafka = fakeKafka([
      'kafka_2.12-2.8.1.jar',
      'kafka-clients-2.8.1.jar',
      'kafka-streams-test-utils-2.8.1.jar',
      'scala-library-2.12.13.jar',
      'aws-msk-iam-auth-2.3.6-all.jar',
      'kafka_2.12-2.8.1-sources.jar',
    ])
    const plain = kafka.run('')
    expect(plain.egrepCalls).toBe(6)
    expect(plain.classPath).toHaveLength(6)
    expect(plain.warnings).toBe(6)
    const spared = kafka.run('pinctl_same_class_path')
    expect(spared.egrepCalls).toBe(0)
    expect(spared.classPath).toEqual(plain.classPath)
    // Nor a line of egrep's on stderr, where grep ≥ 3.8 writes one a jar.
    expect(spared.warnings).toBe(0)
  })

  const leftOut = [
    ['kafka_2.12-2.8.1-test.jar'],
    ['kafka_2.12-2.8.1-javadoc.jar'],
    ['kafka_2.12-2.8.1.jar.asc'],
    ['kafka-tools-2.8.1-test-sources.jar'],
  ]
  it.each(leftOut)('libs/ with %s: the script filters as before (the file stays off the class path)', (extra) => {
    const kafka = fakeKafka(['kafka_2.12-2.8.1.jar', 'kafka-clients-2.8.1.jar', extra])
    const plain = kafka.run('')
    expect(plain.classPath).toEqual(['kafka-clients-2.8.1.jar', 'kafka_2.12-2.8.1.jar'])
    const checked = kafka.run('pinctl_same_class_path')
    expect(checked.egrepCalls).toBe(3)
    expect(checked.classPath).toEqual(plain.classPath)
  })

  it("setup-client's Kafka install leaves out what the script leaves off the class path: the same class path, no egrep", () => {
    const tarball = apacheLikeTarball()
    const whole = fakeKafka([], {
      install: (home) => expect(spawnSync('tar', ['-xzf', tarball.url.slice('file://'.length), '-C', home]).status).toBe(0),
    })
    const installed = fakeKafka([], {
      install(home) {
        const artifact = {name: 'kafka_2.12-2.8.1.tgz', ...tarball}
        const script = installArchiveScript(
          artifact,
          'kafka_2.12-2.8.1',
          `${home}/kafka_2.12-2.8.1`,
          'libs/kafka_2.12-2.8.1.jar',
          KAFKA_LEFT_OUT,
        )
        const result = spawnSync('sh', ['-c', script], {env: {PATH: process.env.PATH, HOME: home}, encoding: 'utf8'})
        expect(result.status, result.stderr).toBe(0)
      },
    })
    // Only the files the script leaves off are missing (the sources jar is on Apache's class path, so it stays).
    expect(installed.libs()).toEqual([
      'kafka-clients-2.8.1.jar',
      'kafka_2.12-2.8.1-sources.jar',
      'kafka_2.12-2.8.1.jar',
      'scala-library-2.12.13.jar',
    ])
    const plain = whole.run('')
    expect(plain.egrepCalls).toBe(12)
    expect(whole.run('pinctl_same_class_path').egrepCalls).toBe(12)
    const spared = installed.run('pinctl_same_class_path')
    expect(spared.egrepCalls).toBe(0)
    expect(spared.classPath).toEqual(plain.classPath)
  })

  it('pinctl_jvm takes the shortcut on every Java (also where no archive is used)', () => {
    const kafka = fakeKafka(['kafka_2.12-2.8.1.jar'])
    expect(kafka.run('pinctl_jvm topics').egrepCalls).toBe(0)
  })
})
