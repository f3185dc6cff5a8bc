import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {ConfigError} from '../errors.js'

// Same relative place from src/ (tests) and dist/ (the built CLI).
const TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url))

/**
 * Fills `{{name}}` placeholders. Values may not contain line breaks: in a properties file a
 * newline would let a value smuggle in settings of its own.
 */
export function renderTemplate(name: string, values: Record<string, string | number>): string {
  const text = readFileSync(`${TEMPLATE_DIR}${name}`, 'utf8')
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`template ${name} needs a value for ${key}`)
    const value = String(values[key])
    if (key !== 'clientSettings' && key !== 'zookeeperLine' && /[\r\n]/.test(value)) {
      throw new ConfigError(`the value for ${key} in ${name} contains a line break`, 'check the setting: it must be one line')
    }
    return value
  })
}

export interface ClientPropertiesInput {
  auth: 'iam' | 'plaintext'
  roleArn?: string
}

const IAM_SETTINGS = (roleArn: string) => [
  ['security.protocol', 'SASL_SSL'],
  ['sasl.mechanism', 'AWS_MSK_IAM'],
  ['sasl.jaas.config', `software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="${roleArn}";`],
  ['sasl.client.callback.handler.class', 'software.amazon.msk.auth.iam.IAMClientCallbackHandler'],
]

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/

function checkRoleArn(roleArn: string | undefined): string {
  if (!roleArn || !ROLE_ARN.test(roleArn)) {
    throw new ConfigError(
      `IAM auth needs the EC2 access role's ARN, got ${JSON.stringify(roleArn ?? '')}`,
      'the role comes from IAM GetRole of <uid>-ec2-access-role (roleName / PINCTL_ROLE)',
    )
  }
  return roleArn
}

export function renderClientProperties(input: ClientPropertiesInput): string {
  if (input.auth === 'plaintext') return renderTemplate('client.properties.plaintext', {})
  return renderTemplate('client.properties.iam', {roleArn: checkRoleArn(input.roleArn)})
}

export interface RestPropertiesInput extends ClientPropertiesInput {
  userId: string
  bootstrapServers: string
  zookeeper?: string
  restProxyPort: number
}

export function renderKafkaRestProperties(input: RestPropertiesInput): string {
  const settings = input.auth === 'iam' ? IAM_SETTINGS(checkRoleArn(input.roleArn)) : [['security.protocol', 'PLAINTEXT']]
  return renderTemplate('kafka-rest.properties', {
    userId: input.userId,
    bootstrapServers: input.bootstrapServers,
    zookeeperLine: input.zookeeper ? `zookeeper.connect=${oneLine(input.zookeeper)}\n` : '',
    restProxyPort: input.restProxyPort,
    clientSettings: settings.map(([key, value]) => `client.${key}=${value}`).join('\n'),
  })
}

export interface ServiceInput {
  sshUser: string
  classpath: string
  confluentDir: string
}

export function renderServiceUnit(input: ServiceInput): string {
  return renderTemplate('kafka-rest.service', {...input})
}

export function renderServiceEnv(input: Pick<ServiceInput, 'classpath'>): string {
  return renderTemplate('kafka-rest.env', {...input})
}

function oneLine(value: string): string {
  if (/[\r\n]/.test(value)) throw new ConfigError('a setting contains a line break', 'check zookeeper / bootstrap settings')
  return value
}
