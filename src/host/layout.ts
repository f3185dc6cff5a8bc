import {CONFLUENT_DIR, KAFKA_DIR} from '../artifacts.js'

/** Where pinctl keeps its own state on the host, as a shell word ($HOME expands there). */
export const STATE_DIR = '"$HOME"/.pinctl'
export const SERVICE_UNIT_PATH = '/etc/systemd/system/kafka-rest.service'

/** Paths on the host, all under the SSH user's home. */
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

/** The same paths as shell words, for scripts that run before the home directory is known. */
export const HOST_SHELL_PATHS = hostPaths('"$HOME"')

/**
 * Shell function: sets pinctl_jrel to the Java version (`17.0.15`, `1.8.0_392`) in the `release` file of the JDK
 * the java binary $1 belongs to, read without starting a JVM; empty when $1 is not a JDK's bin/java or the file
 * has no version. (A variable rather than output: the callers save a subshell.)
 */
export const JAVA_RELEASE_FUNCTION = `pinctl_java_release() {
  pinctl_jrel=
  pinctl_jr=$(readlink -f "$1" 2>/dev/null) || return 0
  case "$pinctl_jr" in */bin/java) ;; *) return 0 ;; esac
  pinctl_jrel=$(sed -n '/^JAVA_VERSION="/{s/^JAVA_VERSION="\\(.*\\)"$/\\1/p;q;}' "\${pinctl_jr%/bin/java}/release" 2>/dev/null)
}`

/** How the REST proxy is run on this host: systemd when the host has it and our unit is installed. */
export const SYSTEMD_UNIT_TEST = `[ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 && [ -f ${SERVICE_UNIT_PATH} ]`

/**
 * The REST proxy's state in probe lines (needs PROBE_FUNCTIONS): how it is managed, whether it runs,
 * its pid, and the hash of the configuration it was started with. Read-only.
 */
export const REST_PROXY_STATE = `if ${SYSTEMD_UNIT_TEST}; then
  kv restproxy.manager systemd
  if systemctl is-active --quiet kafka-rest; then kv restproxy.running yes; fi
  kv restproxy.pid "$(systemctl show -p MainPID --value kafka-rest 2>/dev/null)"
else
  kv restproxy.manager process
  if [ -f ${HOST_SHELL_PATHS.servicePid} ] && kill -0 "$(cat ${HOST_SHELL_PATHS.servicePid})" 2>/dev/null; then
    kv restproxy.running yes
    kv restproxy.pid "$(cat ${HOST_SHELL_PATHS.servicePid})"
  fi
fi
kv restproxy.applied "$(cat ${HOST_SHELL_PATHS.serviceApplied} 2>/dev/null)"`

export interface RestProxyState {
  manager: 'systemd' | 'process'
  running: boolean
  /** 0 or absent when it does not run. */
  pid?: number
  appliedHash?: string
}

export function restProxyState(answer: {
  get(key: string): string | undefined
  yes(key: string): boolean
  int(key: string): number | undefined
}): RestProxyState {
  const pid = answer.int('restproxy.pid')
  return {
    manager: answer.get('restproxy.manager') === 'systemd' ? 'systemd' : 'process',
    running: answer.yes('restproxy.running'),
    pid: pid ? pid : undefined,
    appliedHash: answer.get('restproxy.applied') || undefined,
  }
}
