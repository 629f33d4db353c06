/** Queries on course rounds, their modules, municipalities, teams and designs. */
import type { Sql } from './client.server'
import type { Language } from '../domain/labels'
import { designStatuses, type DesignStatus } from '../domain/design/model'

/** A course round; `language` is the language the server writes in for all its groups (templates a phase inserts, page names). */
export type Course = { id: string; name: string; cohort: string; format: 'full' | 'shortened'; language: Language; createdAt: Date }
export type CourseModule = { id: string; courseId: string; number: number; title: string; startsOn: string | null; endsOn: string | null; place: string }
export type MunicipalityKind = 'Stadt' | 'Kreis' | 'Gemeinde'
export type Municipality = { id: string; name: string; kind: MunicipalityKind }
export { designStatuses, type DesignStatus }
export type Design = { id: string; municipalityId: string; status: DesignStatus; updatedAt: Date }

const courseColumns = (sql: Sql) => sql`id, name, cohort, format, language, created_at as "createdAt"`

/** Creates a course round. */
export async function createCourse(sql: Sql, input: { name: string; cohort: string; format: 'full' | 'shortened'; language?: Language }): Promise<Course> {
  const [row] = await sql<Course[]>`
    insert into courses (name, cohort, format, language) values (${input.name}, ${input.cohort}, ${input.format}, ${input.language ?? 'de'})
    returning ${courseColumns(sql)}`
  return row
}

/** Returns one course, or null. */
export async function getCourse(sql: Sql, id: string): Promise<Course | null> {
  const [row] = await sql<Course[]>`select ${courseColumns(sql)} from courses where id = ${id}`
  return row ?? null
}

/** Lists courses, newest first; `ids` restricts the list. */
export async function listCourses(sql: Sql, ids?: string[]): Promise<Course[]> {
  if (ids) return sql<Course[]>`select ${courseColumns(sql)} from courses where id = any(${ids}::uuid[]) order by created_at desc`
  return sql<Course[]>`select ${courseColumns(sql)} from courses order by created_at desc`
}

/** Creates or replaces module `number` (1–5) of a course. */
export async function upsertModule(sql: Sql, courseId: string, input: { number: number; title: string; startsOn: string | null; endsOn: string | null; place: string }): Promise<CourseModule> {
  const [row] = await sql<CourseModule[]>`
    insert into course_modules (course_id, number, title, starts_on, ends_on, place)
    values (${courseId}, ${input.number}, ${input.title}, ${input.startsOn}, ${input.endsOn}, ${input.place})
    on conflict (course_id, number) do update
      set title = excluded.title, starts_on = excluded.starts_on, ends_on = excluded.ends_on, place = excluded.place
    returning id, course_id as "courseId", number, title, starts_on::text as "startsOn", ends_on::text as "endsOn", place`
  return row
}

/** Lists a course's modules in order. */
export async function listModules(sql: Sql, courseId: string): Promise<CourseModule[]> {
  return sql<CourseModule[]>`
    select id, course_id as "courseId", number, title, starts_on::text as "startsOn", ends_on::text as "endsOn", place
    from course_modules where course_id = ${courseId} order by number`
}

/** Creates a municipality with its (empty) Systemdesign and its design document; null if the name is taken. */
export async function createMunicipality(sql: Sql, input: { name: string; kind: MunicipalityKind }): Promise<Municipality | null> {
  const [row] = await sql<Municipality[]>`
    with created as (
      insert into municipalities (name, kind) values (${input.name}, ${input.kind})
      on conflict (name) do nothing returning id, name, kind
    ), design as (
      insert into designs (municipality_id) select id from created
    ), document as (
      insert into boards (title, municipality_id, kind) select 'Systemdesign', id, 'design' from created
    )
    select id, name, kind from created`
  return row ?? null
}

/** Returns one municipality, or null. */
export async function getMunicipality(sql: Sql, id: string): Promise<Municipality | null> {
  const [row] = await sql<Municipality[]>`select id, name, kind from municipalities where id = ${id}`
  return row ?? null
}

/** Finds a municipality by its exact name (case-insensitive). */
export async function findMunicipalityByName(sql: Sql, name: string): Promise<Municipality | null> {
  const [row] = await sql<Municipality[]>`select id, name, kind from municipalities where lower(name) = lower(${name.trim()})`
  return row ?? null
}

/** Lists municipalities by name; `ids` restricts the list. */
export async function listMunicipalities(sql: Sql, ids?: string[]): Promise<Municipality[]> {
  if (ids) return sql<Municipality[]>`select id, name, kind from municipalities where id = any(${ids}::uuid[]) order by name`
  return sql<Municipality[]>`select id, name, kind from municipalities order by name`
}

/** Adds a municipality's team to a course (idempotent). */
export async function addTeam(sql: Sql, courseId: string, municipalityId: string): Promise<void> {
  await sql`insert into course_teams (course_id, municipality_id) values (${courseId}, ${municipalityId}) on conflict do nothing`
}

/** The municipalities with a team in the course. */
export async function listTeams(sql: Sql, courseId: string): Promise<Municipality[]> {
  return sql<Municipality[]>`
    select m.id, m.name, m.kind from course_teams t join municipalities m on m.id = t.municipality_id
    where t.course_id = ${courseId} order by m.name`
}

/** The courses a municipality has (had) a team in. */
export async function coursesOfMunicipality(sql: Sql, municipalityId: string): Promise<Course[]> {
  return sql<Course[]>`
    select c.id, c.name, c.cohort, c.format, c.created_at as "createdAt"
    from course_teams t join courses c on c.id = t.course_id
    where t.municipality_id = ${municipalityId} order by c.created_at desc`
}

/** The municipality's living Systemdesign. */
export async function getDesign(sql: Sql, municipalityId: string): Promise<Design | null> {
  const [row] = await sql<Design[]>`
    select id, municipality_id as "municipalityId", status, updated_at as "updatedAt" from designs where municipality_id = ${municipalityId}`
  return row ?? null
}

/** Sets the status of a municipality's design. */
export async function setDesignStatus(sql: Sql, municipalityId: string, status: DesignStatus): Promise<void> {
  await sql`update designs set status = ${status}, updated_at = now() where municipality_id = ${municipalityId}`
}
