import type {RoleInfo} from '../aws/iam.js'
import type {ClusterInfo} from '../aws/kafka.js'
import {parseTrustPolicy, trustsItself} from '../provision/trust-policy.js'
import {type Check, checkFromError} from './checks.js'

const GOING = new Set(['CREATING', 'UPDATING', 'REBOOTING_BROKER', 'MAINTENANCE', 'HEALING'])

export function evaluateCluster(cluster: ClusterInfo | undefined, error?: unknown): Check {
  if (error || !cluster) return checkFromError('aws', 'cluster', error ?? new Error('no cluster description'))
  const facts = [
    cluster.kafkaVersion ? `Kafka ${cluster.kafkaVersion}` : undefined,
    cluster.type === 'SERVERLESS' ? 'serverless' : `security groups ${cluster.securityGroups.join(', ') || 'none'}`,
  ].filter(Boolean)
  const what = `${cluster.name} ${cluster.state} (${facts.join(', ')})`
  if (cluster.state === 'ACTIVE') return {layer: 'aws', name: 'cluster', status: 'ok', detail: what}
  if (GOING.has(cluster.state)) {
    return {
      layer: 'aws',
      name: 'cluster',
      status: 'warn',
      detail: `${what}: not ACTIVE yet`,
      fix: 'wait until the MSK console shows it Active (creation takes 15–30 minutes), then run doctor again',
    }
  }
  return {
    layer: 'aws',
    name: 'cluster',
    status: 'fail',
    detail: `${what}: clients cannot use a cluster in this state`,
    fix: 'check the cluster in the MSK console; a DELETING or FAILED cluster must be recreated',
  }
}

/** Where the brokers come from: an explicit setting, or MSK's GetBootstrapBrokers for the auth mode's listener. */
export function evaluateBootstrap(result: {servers?: string; source: 'config' | 'msk'; error?: unknown}): Check {
  if (result.error || !result.servers) return checkFromError('aws', 'bootstrap', result.error ?? new Error('no bootstrap servers'))
  const from = result.source === 'config' ? 'from config (bootstrapServers)' : 'from MSK GetBootstrapBrokers'
  return {layer: 'aws', name: 'bootstrap', status: 'ok', detail: `${result.servers} ${from}`}
}

/** The role exists, and its trust policy names the role itself (the IAM login module assumes it by awsRoleArn). */
export function evaluateRole(role: RoleInfo | undefined, roleName: string, auth: 'iam' | 'plaintext', error?: unknown): Check[] {
  if (error || !role) {
    return [
      checkFromError('aws', 'role', error ?? new Error(`no role ${roleName}`)),
      {layer: 'aws', name: 'role-trust', status: 'skip', detail: `needs the role ${roleName}`},
    ]
  }
  const exists: Check = {layer: 'aws', name: 'role', status: 'ok', detail: role.arn}
  let trusted: boolean
  try {
    trusted = trustsItself(parseTrustPolicy(role.trustPolicy), role.arn)
  } catch (parseError) {
    return [
      exists,
      {
        layer: 'aws',
        name: 'role-trust',
        status: 'fail',
        detail: `cannot read the trust policy of ${roleName}: ${(parseError as Error).message}`,
        fix: "look at the role's Trust relationships tab in the IAM console",
      },
    ]
  }
  if (trusted) return [exists, {layer: 'aws', name: 'role-trust', status: 'ok', detail: `${roleName} trusts itself (sts:AssumeRole)`}]
  return [
    exists,
    {
      layer: 'aws',
      name: 'role-trust',
      status: auth === 'iam' ? 'fail' : 'warn',
      detail:
        `${roleName}'s trust policy does not name the role itself: the IAM login module (awsRoleArn in client.properties) cannot ` +
        `assume it${auth === 'iam' ? '' : ' (only matters for auth=iam)'}`,
      fix: '`pinctl setup-client --only iam-trust` adds it (UpdateAssumeRolePolicy, nothing else changes)',
    },
  ]
}
