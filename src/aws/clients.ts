import type {Config} from '../config/resolve.js'
import {AwsError} from '../errors.js'

/** What every AWS client is built from; endpoint is for moto / local stand-ins (AWS_ENDPOINT_URL is read by the SDK too). */
export interface AwsSettings {
  region: string
  profile?: string
  endpoint?: string
}

export function awsSettings(config: Config): AwsSettings {
  return {region: config.region, profile: config.profile, endpoint: config.endpoint}
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
    return new AwsError(`${action}: no AWS credentials found`, 'set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws configure`', {cause: error})
  }
  if (/ExpiredToken|RequestExpired/.test(text)) {
    return new AwsError(`${action}: AWS credentials have expired`, 'refresh your session (e.g. `aws sso login`) and retry', {cause: error})
  }
  if (ACCESS_DENIED.test(text)) {
    return new AwsError(`${action}: access denied (${name})`, `the AWS identity in use lacks permission for ${action}; grant it or use another --profile`, {cause: error})
  }
  if (UNREACHABLE.test(text)) {
    return new AwsError(`${action}: cannot reach the AWS endpoint (${firstLine(error.message)})`, 'check the network, --region, and AWS_ENDPOINT_URL if you use one', {cause: error})
  }
  return new AwsError(`${action} failed: ${name}: ${firstLine(error.message)}`, undefined, {cause: error})
}

function firstLine(text: string): string {
  return text.split('\n')[0]
}
