import type {Config} from '../config/resolve.js'
import {shellQuote} from '../ssh/quote.js'
import type {HostSession, SessionOpener} from '../ssh/session.js'
import {withHostSession} from '../ssh/target.js'
import {HOST_SHELL_PATHS} from '../host/layout.js'
import {failOnPreludeExit, requireProxyBrokersReachable} from './host-tools.js'
import {httpViaUrl, type ProxyTransport, requireTopics} from './rest-proxy.js'

/**
 * Reaches the REST proxy the way the seed did (the API Gateway invoke URL) or, by default,
 * through an SSH tunnel to the host's :8082 — which works before the API is wired. Before `work`
 * runs, the topics must exist and, through the tunnel, the proxy's brokers must be reachable from
 * the host: both fail within seconds with their cause instead of after the proxy's 60 s wait.
 */
export async function withProxy<T>(
  config: Config,
  invokeUrl: string | undefined,
  onNote: (message: string) => void,
  work: (transport: ProxyTransport, via: string) => Promise<T>,
  topics: string[] = [],
  open?: SessionOpener,
): Promise<T> {
  if (invokeUrl) {
    const transport = httpViaUrl(invokeUrl)
    await requireTopics(transport, topics)
    return work(transport, invokeUrl)
  }
  return withHostSession(
    config,
    onNote,
    async (session: HostSession) => {
      const check = await session.exec(`sh -c ${shellQuote(requireProxyBrokersReachable(HOST_SHELL_PATHS.restProperties))}`)
      failOnPreludeExit(check.code, check.stderr)
      const tunnel = await session.tunnel('127.0.0.1', config.restProxyPort)
      const via = `ssh tunnel to ${config.host}:${config.restProxyPort}`
      try {
        const transport = httpViaUrl(`http://127.0.0.1:${tunnel.port}`, via)
        await requireTopics(transport, topics)
        return await work(transport, via)
      } finally {
        await tunnel.close()
      }
    },
    open,
  )
}
