/**
 * Prometheus metrics (prom-client) at /metrics: rooms and connections (Rooms.stats), edits held
 * unsaved, Redis and database state, HTTP request durations, socket.io connections, and Node's
 * process metrics with event-loop lag. Never public: either `Authorization: Bearer <METRICS_TOKEN>`
 * on the main port, or a separate listener on an internal address (METRICS_PORT, METRICS_HOST).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { timingSafeEqual } from 'node:crypto'
import type express from 'express'
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { Server as SocketServer } from 'socket.io'
import type { Rooms } from '../collab'
import type { Database } from '../db'

export type MetricsDeps = { rooms: Rooms; db: Database; io: SocketServer; redis?: () => 'up' | 'down' }

/** The registry of this process's metrics and the HTTP timing middleware that feeds it. */
export class Metrics {
  readonly registry = new Registry()
  private readonly httpDuration: Histogram<'method' | 'area' | 'status'>

  constructor(deps: MetricsDeps) {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry })
    this.httpDuration = new Histogram({
      name: 'werkraum_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method, area (page, api, asset, health) and status class.',
      labelNames: ['method', 'area', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    const databasePing = new Histogram({
      name: 'werkraum_database_ping_seconds',
      help: 'Round trip of "select 1" to the database, measured at each scrape.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
      registers,
    })
    new Gauge({
      name: 'werkraum_database_up',
      help: '1 when the database answered "select 1" within 2 s at this scrape, else 0.',
      registers,
      async collect() {
        const end = databasePing.startTimer()
        try {
          await Promise.race([deps.db.sql`select 1`, new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())])
          end()
          this.set(1)
        } catch {
          this.set(0)
        }
      },
    })
    new Gauge({
      name: 'werkraum_rooms',
      help: 'Boards loaded in memory in this process.',
      registers,
      async collect() {
        this.set((await deps.rooms.stats()).rooms)
      },
    })
    new Gauge({
      name: 'werkraum_yjs_connections',
      help: 'Open Yjs websocket connections in this process.',
      registers,
      async collect() {
        this.set((await deps.rooms.stats()).connections)
      },
    })
    new Gauge({
      name: 'werkraum_socketio_connections',
      help: 'Open socket.io connections in this process.',
      registers,
      collect() {
        this.set(deps.io.of('/').sockets.size)
      },
    })
    new Gauge({
      name: 'werkraum_unsaved_bytes',
      help: 'Bytes of edits held in memory because the database could not take them (degraded mode).',
      registers,
      async collect() {
        this.set((await deps.rooms.unsaved()).bytes)
      },
    })
    new Gauge({
      name: 'werkraum_unsaved_updates',
      help: 'Edits held in memory because the database could not take them (degraded mode).',
      registers,
      async collect() {
        this.set((await deps.rooms.unsaved()).updates)
      },
    })
    if (deps.redis) {
      const redis = deps.redis
      new Gauge({
        name: 'werkraum_redis_up',
        help: '1 when the Redis connections of the scale-out are ready, else 0 (only with REDIS_URL).',
        registers,
        collect() {
          this.set(redis() === 'up' ? 1 : 0)
        },
      })
    }
  }

  /** Express middleware timing every request (label values are a small fixed set, never a path). */
  timing(): express.RequestHandler {
    return (req, res, next) => {
      // The area is read now: routers mounted under a path rewrite req.path while they handle it.
      const end = this.httpDuration.startTimer({ method: ['GET', 'POST', 'PUT', 'DELETE'].includes(req.method) ? req.method : 'other', area: areaOf(req.path) })
      res.once('finish', () => end({ status: `${Math.floor(res.statusCode / 100)}xx` }))
      next()
    }
  }

  /** The /metrics handler on the main port: only with the right bearer token (404 when no METRICS_TOKEN is set). */
  protectedHandler(token: string | undefined): express.RequestHandler {
    return async (req, res) => {
      if (!token) return res.status(404).type('text/plain').send('Not Found')
      const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
      const a = Buffer.from(given)
      const b = Buffer.from(token)
      if (a.length !== b.length || !timingSafeEqual(a, b)) return res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('Unauthorized')
      res.type(this.registry.contentType).send(await this.registry.metrics())
    }
  }

  /** A separate listener serving only /metrics on an internal address (no token: the address is the protection). */
  async listenInternal(host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://x').pathname !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found')
        return
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed'),
      )
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => resolve())
    })
    const address = server.address() as AddressInfo
    return {
      url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/metrics`,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        }),
    }
  }
}

function areaOf(path: string): 'api' | 'health' | 'asset' | 'page' {
  if (path.startsWith('/api/')) return 'api'
  if (path === '/healthz' || path === '/metrics') return 'health'
  if (path.startsWith('/assets/') || path.startsWith('/tldraw-assets/') || /\.[a-z0-9]+$/i.test(path)) return 'asset'
  return 'page'
}
