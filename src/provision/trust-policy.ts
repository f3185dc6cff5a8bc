/**
 * The seed added the role itself as a trusted principal of its own trust policy, so the
 * IAM login module can assume it. This merge adds exactly that, only when nothing allows it yet.
 */
export interface PolicyDocument {
  Version?: string
  Statement: Statement[] | Statement
}

interface Statement {
  Effect?: string
  Principal?: string | {AWS?: string | string[]; [kind: string]: unknown}
  Action?: string | string[]
  Condition?: unknown
  [key: string]: unknown
}

/** GetRole returns the document URL-encoded; UpdateAssumeRolePolicy takes plain JSON. */
export function parseTrustPolicy(raw: string): PolicyDocument {
  const text = raw.trimStart().startsWith('{') ? raw : decodeURIComponent(raw)
  const document = JSON.parse(text) as PolicyDocument
  if (!document || typeof document !== 'object' || !document.Statement) throw new Error('trust policy has no Statement')
  return document
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

function allowsAssumeRole(statement: Statement, roleArn: string): boolean {
  if (statement.Effect !== 'Allow' || statement.Condition) return false
  const actions = asArray(statement.Action)
  if (!actions.some((action) => action === 'sts:AssumeRole' || action === 'sts:*' || action === '*')) return false
  const principal = statement.Principal
  if (principal === '*') return true
  if (!principal || typeof principal !== 'object') return false
  return asArray(principal.AWS).some((aws) => aws === roleArn || aws === '*')
}

export function trustsItself(document: PolicyDocument, roleArn: string): boolean {
  return asArray(document.Statement).some((statement) => allowsAssumeRole(statement, roleArn))
}

export function mergeTrustPolicy(document: PolicyDocument, roleArn: string): {changed: boolean; document: PolicyDocument} {
  if (trustsItself(document, roleArn)) return {changed: false, document}
  const statements = asArray(document.Statement)
  return {
    changed: true,
    document: {
      ...document,
      Version: document.Version ?? '2012-10-17',
      Statement: [...statements, {Effect: 'Allow', Principal: {AWS: roleArn}, Action: 'sts:AssumeRole'}],
    },
  }
}
