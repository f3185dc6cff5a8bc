import {CONFLUENT_DIR, KAFKA_DIR} from '../artifacts.js'
import {JAVA_RELEASE_FUNCTION, REST_PROXY_STATE, type RestProxyState, restProxyState, SERVICE_UNIT_PATH} from './layout.js'
import {parseProbe, PROBE_FUNCTIONS} from './probe.js'

/** Everything the steps decide on, read from the host in one remote command. */
export interface HostFacts {
  home: string
  user: string
  os: {id: string; version: string}
  packageManager?: 'dnf' | 'yum' | 'apt-get'
  javaMajor?: number
  javaVersion?: string
  fetchTool?: 'curl' | 'wget'
  hasSha512sum: boolean
  sudo: boolean
  systemd: boolean
  kafkaPresent: boolean
  iamJars: string[]
  classpathLines: string[]
  files: {
    clientProperties?: string
    restProperties?: string
    serviceUnit?: string
    serviceEnv?: string
  }
  confluentPresent: boolean
  restProxy: RestProxyState
}

/** setup-client's facts in the probe protocol (probe.ts). Reads only: running it changes nothing on the host. */
export const FACTS_SCRIPT = String.raw`${PROBE_FUNCTIONS}
${JAVA_RELEASE_FUNCTION}
h=$HOME
kv home "$h"
kv user "$(id -un)"
if [ -r /etc/os-release ]; then . /etc/os-release; fi
kv os.id "$ID"
kv os.version "$VERSION_ID"
for pm in dnf yum apt-get; do if command -v $pm >/dev/null 2>&1; then kv pkg $pm; break; fi; done
if command -v java >/dev/null 2>&1; then
  pinctl_java_release "$(command -v java)"
  if [ -n "$pinctl_jrel" ]; then kv java.release "$pinctl_jrel"; else kv java "$(java -version 2>&1 | head -n 1)"; fi
fi
if command -v curl >/dev/null 2>&1; then kv fetch curl; elif command -v wget >/dev/null 2>&1; then kv fetch wget; fi
if command -v sha512sum >/dev/null 2>&1; then kv sha512sum yes; fi
if sudo -n true >/dev/null 2>&1; then kv sudo yes; fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then kv systemd yes; fi
K="$h/${KAFKA_DIR}"
if [ -f "$K/libs/kafka_2.12-2.8.1.jar" ] && [ -x "$K/bin/kafka-topics.sh" ]; then kv kafka yes; fi
kv iamjars "$(cd "$K/libs" 2>/dev/null && ls aws-msk-iam-auth-*.jar 2>/dev/null | tr '\n' ' ')"
kv classpath "$(grep '^[[:space:]]*export[[:space:]]\{1,\}CLASSPATH=' "$h/.bashrc" 2>/dev/null | b64s)"
kv file.clientProperties "$(b64 "$K/bin/client.properties")"
C="$h/${CONFLUENT_DIR}"
if [ -x "$C/bin/kafka-rest-start" ]; then kv confluent yes; fi
kv file.restProperties "$(b64 "$C/etc/kafka-rest/kafka-rest.properties")"
kv file.serviceUnit "$(b64 ${SERVICE_UNIT_PATH})"
kv file.serviceEnv "$(b64 "$h/.pinctl/kafka-rest.env")"
${REST_PROXY_STATE}
`

/** `openjdk version "1.8.0_392"` → 8, `openjdk version "17.0.15" 2025-04-15` → 17. */
export function parseJavaMajor(line: string | undefined): number | undefined {
  const quoted = /version "([^"]*)"/.exec(line ?? '')
  return quoted ? javaMajorOf(quoted[1]) : undefined
}

/** A Java version as the JDK's `release` file and `java -version` give it: `1.8.0_392` → 8, `17.0.15` → 17. */
export function javaMajorOf(version: string): number | undefined {
  const match = /^(\d+)(?:\.(\d+))?/.exec(version)
  if (!match) return undefined
  const first = Number(match[1])
  return first === 1 && match[2] ? Number(match[2]) : first
}

export function parseFacts(output: string): HostFacts {
  const answer = parseProbe(output)
  // The JDK's `release` file when the java on PATH has one (no JVM start-up on the host), else `java -version`.
  const javaRelease = answer.get('java.release')
  const javaLine = answer.get('java')
  const pm = answer.get('pkg')
  const fetch = answer.get('fetch')
  return {
    home: answer.get('home') ?? '',
    user: answer.get('user') ?? '',
    os: {id: answer.get('os.id') || 'unknown', version: answer.get('os.version') ?? ''},
    packageManager: pm === 'dnf' || pm === 'yum' || pm === 'apt-get' ? pm : undefined,
    javaMajor: javaRelease ? javaMajorOf(javaRelease) : parseJavaMajor(javaLine),
    javaVersion: javaRelease ?? javaLine,
    fetchTool: fetch === 'curl' || fetch === 'wget' ? fetch : undefined,
    hasSha512sum: answer.yes('sha512sum'),
    sudo: answer.yes('sudo'),
    systemd: answer.yes('systemd'),
    kafkaPresent: answer.yes('kafka'),
    iamJars: (answer.get('iamjars') ?? '').split(/\s+/).filter(Boolean),
    classpathLines: (answer.text('classpath') ?? '').split('\n').filter((line) => line.trim() !== ''),
    files: {
      clientProperties: answer.text('file.clientProperties'),
      restProperties: answer.text('file.restProperties'),
      serviceUnit: answer.text('file.serviceUnit'),
      serviceEnv: answer.text('file.serviceEnv'),
    },
    confluentPresent: answer.yes('confluent'),
    restProxy: restProxyState(answer),
  }
}
