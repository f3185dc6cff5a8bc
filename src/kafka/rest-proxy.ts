import {ConfigError, type PinctlError, RemoteCommandError, VerifyError} from '../errors.js'
import {shown} from '../ux/printable.js'
import {BROKER_UNREACHABLE_HINT} from './host-tools.js'

export const V2_JSON = 'application/vnd.kafka.json.v2+json'
export const V2_ACCEPT = 'application/vnd.kafka.v2+json, application/json'

export interface RecordOutcome {
  index: number
  ok: boolean
  partition?: number
  offset?: number
  errorCode?: number
  error?: string
}

export interface HttpAnswer {
  status: number
  body: string
}

/** How requests reach the proxy: through the SSH tunnel's local port, or the API Gateway invoke URL. */
export type ProxyTransport = (
  method: string,
  path: string,
  body?: string,
  headers?: Record<string, string>,
  timeoutMs?: number,
) => Promise<HttpAnswer>

/** The proxy took longer than a request may: the caller knows what that means for its request. */
export class ProxyTimeoutError extends RemoteCommandError {}

export function httpViaUrl(baseUrl: string, via = baseUrl): ProxyTransport {
  const base = checkInvokeUrl(baseUrl).replace(/\/+$/, '')
  return async (method, path, body, headers = {}, timeoutMs = 90_000) => {
    let response
    try {
      response = await fetch(`${base}${path}`, {method, body, headers, signal: AbortSignal.timeout(timeoutMs)})
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') {
        throw new ProxyTimeoutError(`the REST proxy did not answer ${method} ${path} within ${Math.round(timeoutMs / 1000)}s (via ${via})`)
      }
      const cause = ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message
      throw new RemoteCommandError(
        `cannot reach the REST proxy via ${via}: ${cause}`,
        'is it running? `pinctl rest-proxy status` shows it and `pinctl rest-proxy start` starts it; `pinctl doctor` checks each layer',
      )
    }
    return {status: response.status, body: await response.text()}
  }
}

/** An invoke URL is http(s) with a host; anything else is the user's to fix before any request. */
export function checkInvokeUrl(url: string): string {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    parsed = undefined
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !parsed.hostname) {
    throw new ConfigError(
      `invalid --invoke-url ${JSON.stringify(shown(url, 200))}: must be an http(s) URL`,
      'e.g. https://abc123.execute-api.us-east-1.amazonaws.com/test (`pinctl api wire` prints it)',
    )
  }
  return url
}

/** How long the topic check may take: a healthy proxy describes a topic in well under a second. */
const TOPIC_CHECK_MS = 8000

/**
 * GET /topics/<t> for each topic before any record is sent: a missing topic is the user's to fix
 * (exit 2), and a proxy whose brokers are down hangs here for seconds instead of max.block.ms (60 s).
 */
export async function requireTopics(transport: ProxyTransport, topics: string[]): Promise<void> {
  await Promise.all(
    topics.map(async (topic) => {
      let answer: HttpAnswer
      try {
        answer = await transport('GET', `/topics/${encodeURIComponent(topic)}`, undefined, {accept: V2_ACCEPT}, TOPIC_CHECK_MS)
      } catch (error) {
        if (!(error instanceof ProxyTimeoutError)) throw error
        throw new RemoteCommandError(`${error.message}: its brokers are down or unreachable from the proxy`, BROKER_UNREACHABLE_HINT)
      }
      if (answer.status === 404) throw new ConfigError(`topic ${topic} does not exist`, 'create it with `pinctl topics create`')
      if (answer.status !== 200) throw answerError(answer, jsonBody(answer))
    }),
  )
}

/**
 * Reads a v2 produce answer. Confluent: 200 with one offsets entry per record, a failed record
 * carrying error_code (50002/50003) — a 200 is not success by itself. Strimzi's bridge puts
 * `{error_code, message}` in the entry instead; both are accepted.
 */
export function parseProduceAnswer(answer: HttpAnswer, count: number): RecordOutcome[] {
  const body = jsonBody(answer)
  if (answer.status !== 200) throw answerError(answer, body)
  const offsets = (body as {offsets?: unknown[]} | undefined)?.offsets
  if (!Array.isArray(offsets)) throw new VerifyError(`the REST proxy answered 200 without offsets: ${answer.body.slice(0, 200)}`)
  return Array.from({length: count}, (_, index) => {
    const entry = (offsets[index] ?? {}) as {
      partition?: number | null
      offset?: number | null
      error_code?: number | null
      error?: string | null
      message?: string
    }
    if (entry.error_code !== undefined && entry.error_code !== null) {
      return {index, ok: false, errorCode: entry.error_code, error: entry.error ?? entry.message ?? 'unknown error'}
    }
    if (typeof entry.offset !== 'number') return {index, ok: false, error: 'no offset in the answer'}
    return {index, ok: true, partition: entry.partition ?? undefined, offset: entry.offset}
  })
}

/** The answer's JSON, or undefined when it is not JSON (some error pages are HTML or text). */
function jsonBody(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.body)
  } catch {
    return undefined
  }
}

/** A non-200 answer as the error it means, with the proxy's own error_code and message when it sent them. */
function answerError(answer: HttpAnswer, body: unknown): PinctlError {
  const error = body as {error_code?: number; message?: string} | undefined
  return proxyHttpError(answer.status, error?.error_code, error?.message ?? answer.body.slice(0, 200))
}

export function proxyHttpError(status: number, code: number | undefined, message: string): PinctlError {
  const text = `the REST proxy answered ${status}${code ? ` (error_code ${code})` : ''}: ${message}`
  if (status === 401 || status === 403)
    return new VerifyError(
      text,
      'the proxy could not authenticate to Kafka: check the IAM role and kafka-rest.properties client.* settings',
    )
  if (status === 404)
    return new ConfigError(
      text,
      'does the topic exist? `pinctl topics list`; through API Gateway, is the {proxy+} resource deployed? `pinctl api wire`',
    )
  if (status === 415 || status === 406 || status === 422 || status === 400)
    return new VerifyError(text, 'this is a request pinctl built wrongly: please report it')
  if (status === 502 || status === 504)
    return new VerifyError(
      text,
      'API Gateway could not reach the proxy: is it running on the host (`pinctl rest-proxy status`) and port 8082 open to API Gateway?',
    )
  return new VerifyError(text, '`pinctl rest-proxy logs` shows what the proxy said')
}

/** What every record of one request shares: a v2 record's optional `key` and `partition`. */
export interface RecordPlacement {
  key?: string
  partition?: number
}

export async function produceRecords(
  transport: ProxyTransport,
  topic: string,
  values: unknown[],
  placement: RecordPlacement = {},
): Promise<RecordOutcome[]> {
  const body = JSON.stringify({records: values.map((value) => ({...placement, value}))})
  const answer = await transport('POST', `/topics/${encodeURIComponent(topic)}`, body, {'content-type': V2_JSON, accept: V2_ACCEPT})
  return parseProduceAnswer(answer, values.length)
}
