import type {Config} from '../config/resolve.js'
import type {SshSession} from '../ssh/session.js'
import {withHostSession} from '../ssh/target.js'
import {httpOverStream, httpViaUrl, type ProxyTransport} from './rest-proxy.js'

/**
 * Reaches the REST proxy the way the seed did (the API Gateway invoke URL) or, by default,
 * through an SSH tunnel to the host's :8082 — which works before the API is wired.
 */
export async function withProxy<T>(
  config: Config,
  invokeUrl: string | undefined,
  notify: (message: string) => void,
  work: (transport: ProxyTransport, via: string) => Promise<T>,
): Promise<T> {
  if (invokeUrl) return work(httpViaUrl(invokeUrl), invokeUrl)
  return withHostSession(config, notify, (session: SshSession) =>
    work(httpOverStream(() => session.forward('127.0.0.1', config.restProxyPort), `127.0.0.1:${config.restProxyPort}`), `ssh tunnel to ${config.host}:${config.restProxyPort}`),
  )
}
