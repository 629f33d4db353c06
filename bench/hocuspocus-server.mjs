/**
 * The Hocuspocus reference server for the benchmark: @hocuspocus/server 3.4.4 with no
 * extensions, so documents live in memory only (as the y-websocket reference server's do).
 */
import { Server } from '@hocuspocus/server'

const server = new Server({ port: Number(process.env.PORT), address: '127.0.0.1', quiet: true })
await server.listen()
console.log('listening')
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.destroy().then(() => process.exit(0)))
