import type {Config} from '../config/resolve.js'
import {AwsError} from '../errors.js'

/** A client for an SDK service ('IAM', 'KAFKA', …) instead of the one pinctl would build; undefined: build it. */
export type AwsClientProvider = (service: string) => {send(command: unknown): Promise<unknown>} | undefined

/** What every AWS client is built from; endpoint is for moto / local stand-ins (AWS_ENDPOINT_URL is read by the SDK too). */
export interface AwsSettings {
  region: string
  profile?: string
  endpoint?: string
  /** Injected clients (the command's Factory; fakes in tests). */
  clients?: AwsClientProvider
}

export function awsSettings(config: Config, clients?: AwsClientProvider): AwsSettings {
  return {region: config.region, profile: config.profile, endpoint: config.endpoint, ...(clients ? {clients} : {})}
}

/**
 * The SDK's own endpoint rule, applied here because pinctl passes the general endpoint explicitly
 * (and the SDK then ignores the variables): AWS_ENDPOINT_URL_<SERVICE> beats the general one. The
 * sandbox uses it to send MSK Connect calls to its stand-in and everything else to moto.
 */
export function clientConfig(settings: AwsSettings, service: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || settings.endpoint
  return {
    region: settings.region,
    ...(settings.profile ? {profile: settings.profile} : {}),
    ...(endpoint ? {endpoint} : {}),
    maxAttempts: 3,
  }
}

const clients = new Map<string, Promise<unknown>>()

/**
 * The one way an aws/ module gets its SDK client. The SDK package is imported on first use, so a command
 * that calls no AWS service never loads it; one client is kept per service and resolved configuration
 * (region, profile, endpoint) for the life of the process.
 */
export function awsClient<Sdk, Client>(
  service: string,
  settings: AwsSettings,
  load: () => Promise<Sdk>,
  create: (sdk: Sdk, config: Record<string, unknown>) => Client,
): Promise<{sdk: Sdk; client: Client}> {
  const injected = settings.clients?.(service)
  // The SDK module still gives the command classes; the injected client sends them.
  if (injected) return load().then((sdk) => ({sdk, client: injected as Client}))
  const config = clientConfig(settings, service)
  const key = `${service} ${JSON.stringify(config)}`
  let entry = clients.get(key) as Promise<{sdk: Sdk; client: Client}> | undefined
  if (!entry) {
    entry = load().then((sdk) => ({sdk, client: create(sdk, config)}))
    clients.set(key, entry)
  }
  return entry
}

const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|UnrecognizedClient|InvalidClientTokenId|AuthFailure|SignatureDoesNotMatch/
const NO_CREDENTIALS = /CredentialsProviderError|Could not load credentials|ProviderError/
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|TimeoutError|ECONNRESET|socket hang up/

/**
 * Runs one AWS call and turns SDK failures into an AwsError naming the action and the fix.
 * `known` lets a caller translate service-specific errors (ParameterNotFound, NoSuchEntity, …) first.
 */
export async function awsCall<T>(
  action: string,
  call: () => Promise<T>,
  known: (name: string, error: Error) => Error | undefined = () => undefined,
): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw translateAwsError(action, error, known)
  }
}

/**
 * The pages of a paginated call (an SDK `paginate*` helper), each failure turned into an AwsError as awsCall
 * does. Breaking out of the loop stops the paging: no further page is requested.
 */
export async function* awsPages<T>(
  action: string,
  pages: AsyncIterable<T>,
  known: (name: string, error: Error) => Error | undefined = () => undefined,
): AsyncGenerator<T> {
  try {
    for await (const page of pages) yield page
  } catch (error) {
    throw translateAwsError(action, error, known)
  }
}

export function translateAwsError(
  action: string,
  error: unknown,
  known: (name: string, error: Error) => Error | undefined = () => undefined,
): Error {
  if (!(error instanceof Error)) return new AwsError(`${action} failed: ${String(error)}`)
  if (error instanceof AwsError) return error
  const name = error.name || 'Error'
  const special = known(name, error)
  if (special) return special
  const text = `${name} ${error.message} ${(error as NodeJS.ErrnoException).code ?? ''}`
  if (NO_CREDENTIALS.test(text)) {
    return new AwsError(
      `${action}: no AWS credentials found`,
      'set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws configure`',
      {cause: error},
    )
  }
  if (/ExpiredToken|RequestExpired/.test(text)) {
    return new AwsError(`${action}: AWS credentials have expired`, 'refresh your session (e.g. `aws sso login`) and retry', {cause: error})
  }
  if (ACCESS_DENIED.test(text)) {
    return new AwsError(
      `${action}: access denied (${name})`,
      `the AWS identity in use lacks permission for ${action}; grant it or use another --profile`,
      {cause: error},
    )
  }
  if (UNREACHABLE.test(text)) {
    return new AwsError(
      `${action}: cannot reach the AWS endpoint (${firstLine(error.message)})`,
      'check the network, --region, and AWS_ENDPOINT_URL if you use one',
      {cause: error},
    )
  }
  return new AwsError(`${action} failed: ${name}: ${firstLine(error.message)}`, undefined, {cause: error})
}

function firstLine(text: string): string {
  return text.split('\n')[0]
}
