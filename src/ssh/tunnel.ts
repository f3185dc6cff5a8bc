import {type AddressInfo, createServer, type Socket} from 'node:net'
import type {Client, ClientChannel} from 'ssh2'

import {SshError} from '../errors.js'

/** A socket to host:port as seen from the remote host (the REST proxy tunnel), over this connection. */
export function forwardOut(client: Client, remoteLabel: string, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (error: Error | undefined, channel: ClientChannel) => {
      if (error)
        reject(
          new SshError(
            `cannot open a tunnel to ${host}:${port} on ${remoteLabel}: ${error.message}`,
            "is AllowTcpForwarding enabled in the host's sshd_config?",
          ),
        )
      else resolve(channel)
    })
  })
}

/**
 * `ssh -L` over an open connection: a loopback port whose connections reach host:port on the
 * remote side. Ordinary HTTP clients (fetch) then talk to the REST proxy through it.
 */
export async function openTunnel(forward: () => Promise<ClientChannel>): Promise<{port: number; close: () => Promise<void>}> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    forward().then(
      (channel) => {
        socket.pipe(channel).pipe(socket)
        channel.on('error', () => socket.destroy())
        socket.on('error', () => channel.close())
      },
      () => socket.destroy(),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const local = (server.address() as AddressInfo).port
  return {
    port: local,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
