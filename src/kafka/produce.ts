import type {Config} from '../config/resolve.js'
import type {SshSession} from '../ssh/session.js'
import {withHostSession} from '../ssh/target.js'
import {httpViaUrl, type ProxyTransport} from './rest-proxy.js'

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
  return withHostSession(config, notify, async (session: SshSession) => {
    const tunnel = await session.tunnel('127.0.0.1', config.restProxyPort)
    try {
      return await work(httpViaUrl(`http://127.0.0.1:${tunnel.port}`), `ssh tunnel to ${config.host}:${config.restProxyPort}`)
    } finally {
      await tunnel.close()
    }
  })
}
