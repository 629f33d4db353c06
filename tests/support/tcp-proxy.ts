/**
 * A TCP proxy between the server under test and the real PostgreSQL, to cut the database away
 * and bring it back without touching the shared PostgreSQL server: `cut()` drops every open
 * connection and refuses new ones until `restore()`.
 */
import net from 'node:net'

export type TcpProxy = {
  port: number
  /** Whether connections are being cut. */
  readonly down: boolean
  cut(): void
  restore(): void
  close(): Promise<void>
}

/** Starts a proxy on a free local port forwarding to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>()
  let down = false
  const server = net.createServer((client) => {
    if (down) return client.destroy()
    const upstream = net.connect(target.port, target.host)
    const pair = { client, upstream }
    pairs.add(pair)
    const end = () => {
      client.destroy()
      upstream.destroy()
      pairs.delete(pair)
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  const cut = () => {
    down = true
    for (const { client, upstream } of pairs) {
      client.destroy()
      upstream.destroy()
    }
    pairs.clear()
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    get down() {
      return down
    },
    cut,
    restore() {
      down = false
    },
    close() {
      cut()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
