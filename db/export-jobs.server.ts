/** Background exports: their progress, their result file, and their clean-up. */
import type { Sql } from './client.server'

export type ExportJob = {
  id: string
  kind: string
  requestedBy: string
  status: 'running' | 'done' | 'failed'
  progress: number
  total: number
  fileName: string
  contentType: string
  error: string | null
  createdAt: Date
  finishedAt: Date | null
}

const columns = (sql: Sql) =>
  sql`id, kind, requested_by as "requestedBy", status, progress, total, file_name as "fileName", content_type as "contentType", error, created_at as "createdAt", finished_at as "finishedAt"`

/** Records a new running export. */
export async function createJob(sql: Sql, input: { kind: string; requestedBy: string; total: number; fileName: string; contentType: string }): Promise<ExportJob> {
  const [job] = await sql<ExportJob[]>`
    insert into export_jobs (kind, requested_by, total, file_name, content_type)
    values (${input.kind}, ${input.requestedBy}, ${input.total}, ${input.fileName}, ${input.contentType})
    returning ${columns(sql)}`
  return job!
}

/** Moves a running job's progress on. */
export async function setProgress(sql: Sql, id: string, progress: number): Promise<void> {
  await sql`update export_jobs set progress = ${progress}, updated_at = now() where id = ${id} and status = 'running'`
}

/** Stores the finished file. */
export async function finishJob(sql: Sql, id: string, result: Uint8Array): Promise<void> {
  await sql`update export_jobs set status = 'done', progress = total, result = ${result}, finished_at = now() where id = ${id}`
}

/** Marks a job failed with a reason the person can read. */
export async function failJob(sql: Sql, id: string, error: string): Promise<void> {
  await sql`update export_jobs set status = 'failed', error = ${error.slice(0, 500)}, finished_at = now() where id = ${id}`
}

/** One job of this person (null for anyone else's or an unknown id). */
export async function getJob(sql: Sql, id: string, personId: string): Promise<ExportJob | null> {
  const [job] = await sql<ExportJob[]>`select ${columns(sql)} from export_jobs where id = ${id} and requested_by = ${personId}`
  return job ?? null
}

/** The finished file of this person's job. */
export async function jobResult(sql: Sql, id: string, personId: string): Promise<{ fileName: string; contentType: string; result: Uint8Array } | null> {
  const [row] = await sql<{ fileName: string; contentType: string; result: Uint8Array }[]>`
    select file_name as "fileName", content_type as "contentType", result from export_jobs
    where id = ${id} and requested_by = ${personId} and status = 'done'`
  return row ?? null
}

/** Jobs that stopped moving (their process ended) are failed with `reason`; files older than a day are deleted. */
export async function tidyJobs(sql: Sql, reason: string, staleAfterSeconds = 300): Promise<void> {
  await sql`
    update export_jobs set status = 'failed', error = ${reason}, finished_at = now()
    where status = 'running' and updated_at < now() - make_interval(secs => ${staleAfterSeconds})`
  await sql`delete from export_jobs where created_at < now() - interval '1 day'`
}
