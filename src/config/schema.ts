// zod's v3 API (shipped in the zod 4 package as the permanent subpath zod/v3): it loads as 10 modules where zod 4's
// own API loads 95 (its core re-exports every locale), ~30 ms of every command's start-up (bench/RESULTS.md).
import {z} from 'zod/v3'

/** Real user ids are 12 lowercase hex characters; others may pick their own within what AWS names allow. */
export const USER_ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$/
const USER_ID_RULE = '3 to 32 characters of a-z, 0-9 and "-", starting and ending with a letter or digit (e.g. 12b287eedf6d)'

export const userIdSchema = z.string().regex(USER_ID_PATTERN, {message: `must be ${USER_ID_RULE}`})

const hostname = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.:_-]+$/, {message: 'must be a host name or IP address'})

const port = z.coerce.number().int().min(1).max(65_535)
const validPort = (text: string) => Number(text) >= 1 && Number(text) <= 65_535
const nonEmpty = z.string().min(1)
const httpUrl = z
  .string()
  .url({message: 'must be an http(s) URL'})
  .refine((url) => /^https?:\/\//i.test(url), {message: 'must be an http(s) URL'})
const awsName = z.string().regex(/^[A-Za-z0-9._+=,@-]{1,128}$/, {message: 'must be 1-128 of A-Z a-z 0-9 . _ + = , @ -'})

/**
 * Every setting pinctl reads, all optional here: defaults are applied in resolve.ts,
 * many of them derived from userId. Unknown keys in a file are an error (typos should not pass silently).
 */
export const configSchema = z
  .object({
    userId: userIdSchema,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, {message: 'must be an AWS region such as us-east-1'}),
    profile: awsName,
    host: hostname,
    sshPort: port,
    sshUser: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, {message: 'must be a Unix user name'}),
    keyPairName: z.string().regex(/^[\x20-\x7E]{1,255}$/, {message: 'must be 1-255 printable ASCII characters'}),
    keyFile: nonEmpty,
    knownHostsFile: nonEmpty,
    clusterName: awsName,
    clusterArn: z.string().startsWith('arn:'),
    bootstrapServers: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*$/, {message: 'must be host:port[,host:port…]'})
      .refine((list) => list.split(',').every((pair) => validPort(pair.slice(pair.lastIndexOf(':') + 1))), {
        message: 'every port must be 1 to 65535',
      }),
    zookeeper: z.string().regex(/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*(\/[\w/.-]*)?$/, {
      message: 'must be host:port[,host:port…][/chroot]',
    }),
    auth: z.enum(['iam', 'plaintext']),
    mirror: httpUrl,
    artifactsFile: nonEmpty,
    endpoint: httpUrl,
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {message: 'must be a valid S3 bucket name'}),
    roleName: awsName,
    pluginName: awsName,
    connectorName: awsName,
    apiName: nonEmpty,
    restProxyPort: port,
    dbCreds: nonEmpty,
  })
  .partial()
  .strict()

export type ConfigInput = z.infer<typeof configSchema>
export type ConfigKey = keyof ConfigInput

/** Environment variable for each key; the AWS_* ones are the SDK's own so a shell already set up for AWS just works. */
export const ENV_NAMES: Record<ConfigKey, string[]> = {
  userId: ['PINCTL_USER'],
  region: ['PINCTL_REGION', 'AWS_REGION', 'AWS_DEFAULT_REGION'],
  profile: ['PINCTL_PROFILE', 'AWS_PROFILE'],
  host: ['PINCTL_HOST'],
  sshPort: ['PINCTL_SSH_PORT'],
  sshUser: ['PINCTL_SSH_USER'],
  keyPairName: ['PINCTL_KEY_PAIR'],
  keyFile: ['PINCTL_KEY_FILE'],
  knownHostsFile: ['PINCTL_KNOWN_HOSTS'],
  clusterName: ['PINCTL_CLUSTER'],
  clusterArn: ['PINCTL_CLUSTER_ARN'],
  bootstrapServers: ['PINCTL_BOOTSTRAP_SERVERS'],
  zookeeper: ['PINCTL_ZOOKEEPER'],
  auth: ['PINCTL_AUTH'],
  mirror: ['PINCTL_MIRROR'],
  artifactsFile: ['PINCTL_ARTIFACTS_FILE'],
  endpoint: ['PINCTL_ENDPOINT_URL', 'AWS_ENDPOINT_URL'],
  bucket: ['PINCTL_BUCKET'],
  roleName: ['PINCTL_ROLE'],
  pluginName: ['PINCTL_PLUGIN'],
  connectorName: ['PINCTL_CONNECTOR'],
  apiName: ['PINCTL_API_NAME'],
  restProxyPort: ['PINCTL_REST_PROXY_PORT'],
  dbCreds: ['PINCTL_DB_CREDS'],
}

/** Every variable config resolution reads (PINCTL_* and the AWS SDK's own). */
export function configEnvVariables(): Set<string> {
  return new Set(Object.values(ENV_NAMES).flat())
}
