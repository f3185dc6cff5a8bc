import {CONFLUENT_DIR, KAFKA_DIR} from '../artifacts.js'

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
  restProxy: {running: boolean; appliedHash?: string}
}

export const SERVICE_UNIT_PATH = '/etc/systemd/system/kafka-rest.service'

/** Paths on the host, all under the SSH user's home as in the seed. */
export function hostPaths(home: string) {
  const kafka = `${home}/${KAFKA_DIR}`
  const confluent = `${home}/${CONFLUENT_DIR}`
  const state = `${home}/.pinctl`
  return {
    kafka,
    libs: `${kafka}/libs`,
    clientProperties: `${kafka}/bin/client.properties`,
    confluent,
    restProperties: `${confluent}/etc/kafka-rest/kafka-rest.properties`,
    bashrc: `${home}/.bashrc`,
    state,
    serviceEnv: `${state}/kafka-rest.env`,
    servicePid: `${state}/kafka-rest.pid`,
    serviceLog: `${state}/kafka-rest.log`,
    serviceApplied: `${state}/kafka-rest.applied`,
  }
}

/**
 * POSIX sh that prints `key=value` lines; file contents travel base64-encoded on one line.
 * Reads only: running it changes nothing on the host.
 */
export const FACTS_SCRIPT = String.raw`
h=$HOME
kv() { printf '%s=%s\n' "$1" "$2"; }
b64() { if [ -f "$1" ]; then base64 < "$1" | tr -d '\n'; fi; }
kv home "$h"
kv user "$(id -un)"
if [ -r /etc/os-release ]; then . /etc/os-release; fi
kv os.id "$ID"
kv os.version "$VERSION_ID"
for pm in dnf yum apt-get; do if command -v $pm >/dev/null 2>&1; then kv pkg $pm; break; fi; done
if command -v java >/dev/null 2>&1; then kv java "$(java -version 2>&1 | head -n 1)"; fi
if command -v curl >/dev/null 2>&1; then kv fetch curl; elif command -v wget >/dev/null 2>&1; then kv fetch wget; fi
if command -v sha512sum >/dev/null 2>&1; then kv sha512sum yes; fi
if sudo -n true >/dev/null 2>&1; then kv sudo yes; fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then kv systemd yes; fi
K="$h/${KAFKA_DIR}"
if [ -f "$K/libs/kafka_2.12-2.8.1.jar" ] && [ -x "$K/bin/kafka-topics.sh" ]; then kv kafka yes; fi
kv iamjars "$(cd "$K/libs" 2>/dev/null && ls aws-msk-iam-auth-*.jar 2>/dev/null | tr '\n' ' ')"
kv classpath "$(grep '^[[:space:]]*export[[:space:]]\{1,\}CLASSPATH=' "$h/.bashrc" 2>/dev/null | base64 | tr -d '\n')"
kv file.clientProperties "$(b64 "$K/bin/client.properties")"
C="$h/${CONFLUENT_DIR}"
if [ -x "$C/bin/kafka-rest-start" ]; then kv confluent yes; fi
kv file.restProperties "$(b64 "$C/etc/kafka-rest/kafka-rest.properties")"
kv file.serviceUnit "$(b64 ${SERVICE_UNIT_PATH})"
kv file.serviceEnv "$(b64 "$h/.pinctl/kafka-rest.env")"
if [ -d /run/systemd/system ] && systemctl is-active --quiet kafka-rest 2>/dev/null; then kv restproxy.running yes;
elif [ -f "$h/.pinctl/kafka-rest.pid" ] && kill -0 "$(cat "$h/.pinctl/kafka-rest.pid")" 2>/dev/null; then kv restproxy.running yes; fi
kv restproxy.applied "$(cat "$h/.pinctl/kafka-rest.applied" 2>/dev/null)"
`

/** `openjdk version "1.8.0_392"` → 8, `openjdk version "17.0.15" 2025-04-15` → 17. */
export function parseJavaMajor(line: string | undefined): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(line ?? '')
  if (!match) return undefined
  const first = Number(match[1])
  return first === 1 && match[2] ? Number(match[2]) : first
}

export function parseFacts(output: string): HostFacts {
  const raw = new Map<string, string>()
  for (const line of output.split('\n')) {
    const index = line.indexOf('=')
    if (index > 0) raw.set(line.slice(0, index), line.slice(index + 1))
  }
  const decode = (key: string) => {
    const value = raw.get(key)
    return value ? Buffer.from(value, 'base64').toString('utf8') : undefined
  }
  const javaLine = raw.get('java')
  const pm = raw.get('pkg')
  return {
    home: raw.get('home') ?? '',
    user: raw.get('user') ?? '',
    os: {id: raw.get('os.id') || 'unknown', version: raw.get('os.version') ?? ''},
    packageManager: pm === 'dnf' || pm === 'yum' || pm === 'apt-get' ? pm : undefined,
    javaMajor: parseJavaMajor(javaLine),
    javaVersion: javaLine,
    fetchTool: raw.get('fetch') === 'curl' ? 'curl' : raw.get('fetch') === 'wget' ? 'wget' : undefined,
    hasSha512sum: raw.get('sha512sum') === 'yes',
    sudo: raw.get('sudo') === 'yes',
    systemd: raw.get('systemd') === 'yes',
    kafkaPresent: raw.get('kafka') === 'yes',
    iamJars: (raw.get('iamjars') ?? '').split(/\s+/).filter(Boolean),
    classpathLines: (decode('classpath') ?? '').split('\n').filter((line) => line.trim() !== ''),
    files: {
      clientProperties: decode('file.clientProperties'),
      restProperties: decode('file.restProperties'),
      serviceUnit: decode('file.serviceUnit'),
      serviceEnv: decode('file.serviceEnv'),
    },
    confluentPresent: raw.get('confluent') === 'yes',
    restProxy: {running: raw.get('restproxy.running') === 'yes', appliedHash: raw.get('restproxy.applied') || undefined},
  }
}
