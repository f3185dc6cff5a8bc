import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {KAFKA_TOOL_FUNCTIONS, kafkaToolCall, NO_JMX_AGENT} from '../../src/kafka/host-tools.js'

/**
 * The AppCDS shell functions, run in a local sh against a fake JDK (a `release` file and a bin/java)
 * and a fake Kafka tool that records the JVM options it was given and, like the JVM, writes the
 * archive named by -XX:ArchiveClassesAtExit when it exits.
 */
function fakeHost(options: {javaVersion?: string; home?: string} = {}) {
  const root = mkdtempSync(join(tmpdir(), 'pinctl-cds-'))
  const home = join(root, options.home ?? 'home')
  const jdk = join(root, 'jdk')
  mkdirSync(join(jdk, 'bin'), {recursive: true})
  writeFileSync(join(jdk, 'release'), `IMPLEMENTOR="test"\nJAVA_VERSION="${options.javaVersion ?? '17.0.15'}"\n`)
  writeFileSync(join(jdk, 'bin', 'java'), '#!/bin/sh\nexit 0\n')
  chmodSync(join(jdk, 'bin', 'java'), 0o755)
  mkdirSync(join(home, 'kafka_2.12-2.8.1', 'libs'), {recursive: true})
  writeFileSync(join(home, 'kafka_2.12-2.8.1', 'libs', 'kafka-clients-2.8.1.jar'), 'jar')
  const tool = join(root, 'tool.sh')
  writeFileSync(
    tool,
    `#!/bin/sh
printf '%s\\n' "$KAFKA_JVM_PERFORMANCE_OPTS" >> "${root}/opts.log"
printf '%s\\n' "$KAFKA_HEAP_OPTS" > "${root}/heap.log"
printf '%s|%s\\n' "$KAFKA_JMX_OPTS" "\${JMX_PORT-unset}" > "${root}/jmx.log"
dump=$(printf '%s' "$KAFKA_JVM_PERFORMANCE_OPTS" | sed -n 's/.*-XX:ArchiveClassesAtExit=\\([^ ]*\\).*/\\1/p')
[ -n "$dump" ] && printf 'classes' > "$dump"
exit "\${TOOL_EXIT:-0}"
`,
  )
  chmodSync(tool, 0o755)
  const run = (env: Record<string, string> = {}, body = kafkaToolCall('topics', `"${tool}" --list`)) => {
    const script = `${KAFKA_TOOL_FUNCTIONS}\n${body}`
    const result = spawnSync('sh', ['-c', script], {env: {PATH: process.env.PATH, HOME: home, JAVA_HOME: jdk, ...env}, encoding: 'utf8'})
    const opts = readFileSync(join(root, 'opts.log'), 'utf8').trim().split('\n').at(-1) ?? ''
    const heap = readFileSync(join(root, 'heap.log'), 'utf8').trim()
    const jmx = readFileSync(join(root, 'jmx.log'), 'utf8').trim()
    return {status: result.status, stderr: result.stderr, opts, heap, jmx}
  }
  const cds = join(home, '.pinctl', 'cds')
  const archives = () => (existsSync(cds) ? readdirSync(cds).sort() : [])
  return {root, home, cds, tool, run, archives}
}

describe('Kafka tools: JVM settings and the AppCDS archive', () => {
  it("no JMX agent: kafka-run-class.sh's default (jmxremote) is replaced, JMX_PORT unset; a set KAFKA_JMX_OPTS is kept", () => {
    for (const javaVersion of ['17.0.15', '1.8.0_392']) {
      const host = fakeHost({javaVersion})
      expect(host.run({JMX_PORT: '9999'}).jmx).toBe(`${NO_JMX_AGENT}|unset`)
      expect(host.run({KAFKA_JMX_OPTS: '-Dcom.sun.management.jmxremote'}).jmx).toBe('-Dcom.sun.management.jmxremote|unset')
    }
    expect(NO_JMX_AGENT).not.toMatch(/com\.sun\.management/)
  })

  it('Java 17: the first run writes the archive at exit, the next runs map it', () => {
    const host = fakeHost()
    const first = host.run()
    expect(first.status).toBe(0)
    expect(first.opts).toContain('-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:CICompilerCount=1')
    expect(first.opts).toMatch(/-XX:ArchiveClassesAtExit=\S+\/\.pinctl\/cds\/topics-\d+\.jsa\.tmp\.\d+ /)
    expect(first.opts).toContain('-Xlog:disable -Xlog:all=error:stderr')
    // A young generation a short run does not fill (a kafka-topics.sh --list on the sandbox host runs without a collection).
    expect(first.heap).toBe('-Xms128m -Xmn96m -Xmx256m')
    expect(host.archives()).toEqual([expect.stringMatching(/^topics-\d+\.jsa$/)])
    const second = host.run()
    expect(second.opts).toContain(`-XX:SharedArchiveFile=${join(host.cds, host.archives()[0])} `)
    expect(second.opts).not.toContain('ArchiveClassesAtExit')
  })

  it('setup-client’s way: the listing only uses an archive, the missing one is written afterwards in the background', () => {
    const host = fakeHost()
    const body = `PINCTL_CDS_DUMP=no pinctl_jvm topics
"${host.tool}" --list
pinctl_cds_later topics pinctl_idle "${host.tool}" --list
wait`
    const log = () => readFileSync(join(host.root, 'opts.log'), 'utf8').trim().split('\n')
    expect(host.run({}, body).status).toBe(0)
    expect(log()[0]).toBe('-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:CICompilerCount=1')
    expect(log()[1]).toContain('-XX:ArchiveClassesAtExit=')
    expect(host.archives()).toEqual([expect.stringMatching(/^topics-\d+\.jsa$/)])
    host.run({}, body)
    expect(log()).toHaveLength(3)
    expect(log()[2]).toContain('-XX:SharedArchiveFile=')
  })

  it('no second background run while one is writing the archive (its lock)', () => {
    const host = fakeHost()
    const body = `PINCTL_CDS_DUMP=no pinctl_jvm topics
mkdir -p "$pinctl_cds" && mkdir "$pinctl_archive.lock"
"${host.tool}" --list
pinctl_cds_later topics "${host.tool}" --list
wait`
    expect(host.run({}, body).status).toBe(0)
    expect(readFileSync(join(host.root, 'opts.log'), 'utf8').trim().split('\n')).toHaveLength(1)
    expect(host.archives()).toEqual([expect.stringMatching(/\.lock$/)])
  })

  it('a failed run keeps no archive and no temp file, and its exit status is the tool’s', () => {
    const host = fakeHost()
    const failed = host.run({TOOL_EXIT: '3'})
    expect(failed.status).toBe(3)
    expect(host.archives()).toEqual([])
    expect(host.run().opts).toContain('-XX:ArchiveClassesAtExit=')
  })

  it('a changed classpath gets a new archive and the old one is removed once the new one is written', () => {
    const host = fakeHost()
    host.run()
    const [old] = host.archives()
    writeFileSync(join(host.home, 'kafka_2.12-2.8.1', 'libs', 'aws-msk-iam-auth-2.3.6-all.jar'), 'iam')
    expect(host.run().opts).toContain('-XX:ArchiveClassesAtExit=')
    expect(host.archives()).toHaveLength(1)
    expect(host.archives()[0]).not.toBe(old)
    expect(host.run({CLASSPATH: '/opt/extra.jar'}).opts).toContain('-XX:ArchiveClassesAtExit=')
  })

  it('a jar written again (same name and size, another mtime — what the JVM checks) gets a new archive', () => {
    const host = fakeHost()
    const jar = join(host.home, 'kafka_2.12-2.8.1', 'libs', 'kafka-clients-2.8.1.jar')
    utimesSync(jar, 1_700_000_000, 1_700_000_000)
    host.run()
    expect(host.run().opts).toContain('-XX:SharedArchiveFile=')
    utimesSync(jar, 1_700_000_003, 1_700_000_003)
    expect(host.run().opts).toContain('-XX:ArchiveClassesAtExit=')
    // The same holds for a jar named by $CLASSPATH outside libs/.
    const extra = join(host.root, 'extra.jar')
    writeFileSync(extra, 'x')
    utimesSync(extra, 1_700_000_000, 1_700_000_000)
    host.run({CLASSPATH: extra})
    expect(host.run({CLASSPATH: extra}).opts).toContain('-XX:SharedArchiveFile=')
    utimesSync(extra, 1_700_000_001, 1_700_000_001)
    expect(host.run({CLASSPATH: extra}).opts).toContain('-XX:ArchiveClassesAtExit=')
  })

  it('another run writing the archive (its lock) means this one runs without dumping', () => {
    const host = fakeHost()
    host.run({TOOL_EXIT: '1'})
    const key = /topics-(\d+)\.jsa/.exec(host.run({TOOL_EXIT: '1'}).opts)?.[1]
    mkdirSync(join(host.cds, `topics-${key}.jsa.lock`))
    const locked = host.run()
    expect(locked.opts).not.toMatch(/ArchiveClassesAtExit|SharedArchiveFile/)
    expect(locked.status).toBe(0)
  })

  it('Java 13 to 16 get the archive but keep the JVM’s own number of compiler threads', () => {
    const host = fakeHost({javaVersion: '13.0.2'})
    host.run()
    const second = host.run()
    expect(second.opts).toContain('-XX:SharedArchiveFile=')
    expect(second.opts).not.toContain('CICompilerCount')
  })

  it.each([['1.8.0_412'], ['11.0.25'], ['']])('Java %j keeps the plain settings', (version) => {
    const host = fakeHost({javaVersion: version})
    const result = host.run()
    expect(result.status).toBe(0)
    expect(result.opts).toBe('-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData')
    expect(host.archives()).toEqual([])
  })

  it('a home directory with a blank gets no archive (the options are split on blanks)', () => {
    const host = fakeHost({home: 'my home'})
    expect(host.run().opts).toBe('-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:CICompilerCount=1')
  })
})
