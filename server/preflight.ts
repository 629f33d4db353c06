/**
 * Start-up checks run before anything is written: the port is free, the data folder can be
 * used, the database answers. Each problem is one sentence in German and one in English that
 * names the setting and the fix; `server/index.ts` prints them and exits with 78 (EX_CONFIG).
 */
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import postgres from 'postgres'
import type { Env } from './env.server'

/** One start-up problem: the setting it concerns and what to do, in both languages. */
export type StartupProblem = { setting: string; de: string; en: string }

/** Exit code for a configuration or environment problem (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78

/** Runs every check that applies; an empty list means the start may go ahead. The port comes first, so a taken port stops before the data folder is touched. */
export async function preflight(env: Env): Promise<StartupProblem[]> {
  const port = await checkPort(env.host, env.port)
  if (port) return [port]
  const problems: StartupProblem[] = []
  if (env.databaseUrl) {
    const database = await checkDatabase(env.databaseUrl)
    if (database) problems.push(database)
  } else {
    problems.push(...(await checkDataDir(env.dataDir)))
  }
  return problems
}

/** Formats the problems for the terminal: a heading, then each problem in German and English. */
export function describeProblems(problems: StartupProblem[]): string {
  return ['Werkraum kann nicht starten / Werkraum cannot start:', ...problems.flatMap((p) => [`- ${p.setting}: ${p.de}`, `  ${p.setting}: ${p.en}`])].join('\n')
}

/** Whether the port can be bound (then released again at once). */
async function checkPort(host: string, port: number): Promise<StartupProblem | null> {
  if (port === 0) return null
  const server = net.createServer()
  const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e))
    server.listen({ port, host, exclusive: true }, () => resolve(null))
  })
  if (!error) {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    return null
  }
  const at = `${host}:${port}`
  switch (error.code) {
    case 'EADDRINUSE':
      return {
        setting: 'PORT',
        de: `Port ${port} auf ${host} ist schon belegt (läuft Werkraum schon?); beenden Sie das andere Programm oder wählen Sie mit PORT einen freien Port.`,
        en: `port ${port} on ${host} is already in use (is Werkraum already running?); stop the other program or choose a free port with PORT.`,
      }
    case 'EACCES':
      return {
        setting: 'PORT',
        de: `Port ${port} darf dieser Benutzer nicht öffnen; wählen Sie mit PORT einen Port über 1023 und leiten Sie Port 80/443 im Reverse-Proxy (nginx) dorthin.`,
        en: `this user may not open port ${port}; choose a port above 1023 with PORT and let the reverse proxy (nginx) forward 80/443 to it.`,
      }
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return {
        setting: 'HOST',
        de: `Die Adresse ${host} gehört nicht zu diesem Rechner; setzen Sie HOST auf 127.0.0.1 (hinter nginx) oder 0.0.0.0 (alle Adressen).`,
        en: `the address ${host} does not belong to this machine; set HOST to 127.0.0.1 (behind nginx) or 0.0.0.0 (all addresses).`,
      }
    default:
      return {
        setting: 'PORT',
        de: `${at} kann nicht geöffnet werden (${error.code ?? error.message}); prüfen Sie HOST und PORT.`,
        en: `${at} cannot be opened (${error.code ?? error.message}); check HOST and PORT.`,
      }
  }
}

/** Whether the embedded database's folder can be used: an existing writable folder, or one that can be created (without creating it). */
async function checkDataDir(dataDir: string): Promise<StartupProblem[]> {
  const stat = await fs.stat(dataDir).catch(() => null)
  if (stat && !stat.isDirectory()) {
    return [
      {
        setting: 'DATA_DIR',
        de: `${dataDir} ist eine Datei, kein Ordner; setzen Sie DATA_DIR auf einen Ordner (er wird angelegt, wenn es ihn nicht gibt).`,
        en: `${dataDir} is a file, not a folder; set DATA_DIR to a folder (it is created if missing).`,
      },
    ]
  }
  // The folder itself, or the nearest existing folder above it, must be writable.
  let existing = dataDir
  while (!stat && !(await fs.stat(existing).catch(() => null))) {
    const parent = path.dirname(existing)
    if (parent === existing) break
    existing = parent
  }
  const existingStat = await fs.stat(existing).catch(() => null)
  const writable =
    existingStat?.isDirectory() &&
    (await fs.access(existing, fs.constants.W_OK | fs.constants.X_OK).then(
      () => true,
      () => false,
    ))
  if (!writable) {
    const what = existing === dataDir ? dataDir : `${existing} (darin würde ${dataDir} angelegt)`
    const whatEn = existing === dataDir ? dataDir : `${existing} (where ${dataDir} would be created)`
    return [
      {
        setting: 'DATA_DIR',
        de: `In ${what} darf Werkraum nicht schreiben; setzen Sie DATA_DIR auf einen Ordner, der dem Werkraum-Benutzer gehört (z. B. /var/lib/werkraum), oder passen Sie die Rechte an.`,
        en: `Werkraum may not write in ${whatEn}; set DATA_DIR to a folder owned by the Werkraum user (e.g. /var/lib/werkraum) or fix its permissions.`,
      },
    ]
  }
  const owner = Number(await fs.readFile(path.join(dataDir, 'werkraum.lock'), 'utf8').catch(() => '0'))
  if (owner && owner !== process.pid && isRunning(owner)) {
    return [
      {
        setting: 'DATA_DIR',
        de: `Die eingebettete Datenbank in ${dataDir} wird schon von Prozess ${owner} benutzt (läuft Werkraum schon?); beenden Sie ihn oder setzen Sie DATA_DIR auf einen anderen Ordner.`,
        en: `the embedded database in ${dataDir} is already in use by process ${owner} (is Werkraum already running?); stop it or set DATA_DIR to another folder.`,
      },
    ]
  }
  return []
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether the PostgreSQL server answers with these credentials and this database, with the reason if not. */
async function checkDatabase(url: string): Promise<StartupProblem | null> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, idle_timeout: 1, onnotice: () => {} })
  let parsed: URL | null = null
  try {
    parsed = new URL(url)
  } catch {
    // postgres() accepts what URL does not; the messages then omit host and name.
  }
  const server = parsed ? `${parsed.hostname}:${parsed.port || 5432}` : 'DATABASE_URL'
  const name = parsed?.pathname.slice(1) || 'postgres'
  try {
    await sql`select 1`
    return null
  } catch (error) {
    const code = (error as { code?: string }).code
    const reason = (de: string, en: string): StartupProblem => ({ setting: 'DATABASE_URL', de, en })
    switch (code) {
      case 'ECONNREFUSED':
        return reason(
          `Unter ${server} antwortet kein PostgreSQL; starten Sie PostgreSQL oder korrigieren Sie Rechner und Port in DATABASE_URL.`,
          `no PostgreSQL answers at ${server}; start PostgreSQL or correct host and port in DATABASE_URL.`,
        )
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return reason(
          `Den Rechner ${parsed?.hostname ?? ''} kennt das Netz nicht; korrigieren Sie den Rechnernamen in DATABASE_URL.`,
          `the host ${parsed?.hostname ?? ''} is unknown; correct the host name in DATABASE_URL.`,
        )
      case 'CONNECT_TIMEOUT':
      case 'ETIMEDOUT':
        return reason(
          `PostgreSQL unter ${server} antwortet nicht innerhalb von 5 Sekunden; prüfen Sie Firewall und Rechner in DATABASE_URL.`,
          `PostgreSQL at ${server} did not answer within 5 seconds; check the firewall and the host in DATABASE_URL.`,
        )
      case '3D000':
        return reason(
          `Die Datenbank „${name}“ gibt es auf ${server} nicht; legen Sie sie an (createdb -O <benutzer> ${name}) oder korrigieren Sie den Namen in DATABASE_URL.`,
          `the database "${name}" does not exist on ${server}; create it (createdb -O <user> ${name}) or correct the name in DATABASE_URL.`,
        )
      case '28P01':
      case '28000':
        return reason(
          `PostgreSQL auf ${server} lehnt Benutzer oder Passwort ab; korrigieren Sie die Zugangsdaten in DATABASE_URL (oder pg_hba.conf).`,
          `PostgreSQL on ${server} refuses the user or password; correct the credentials in DATABASE_URL (or pg_hba.conf).`,
        )
      default:
        return reason(
          `PostgreSQL auf ${server} ist nicht nutzbar (${code ?? ''} ${(error as Error).message}); prüfen Sie DATABASE_URL.`,
          `PostgreSQL on ${server} cannot be used (${code ?? ''} ${(error as Error).message}); check DATABASE_URL.`,
        )
    }
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {})
  }
}
