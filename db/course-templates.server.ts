/** Queries on `course_templates`: board frames a lecturer saved as templates of a course. */
import type { Sql } from './client.server'

export type CourseTemplate = { id: string; courseId: string; name: string; createdAt: Date; createdBy: string | null }
export type CourseTemplateWithRecords = CourseTemplate & { records: unknown[] }

const columns = (sql: Sql) => sql`id, course_id as "courseId", name, created_at as "createdAt", created_by as "createdBy"`

/** Stores a course template and returns it (without its records). */
export async function createCourseTemplate(sql: Sql, input: { courseId: string; name: string; records: unknown[]; createdBy: string }): Promise<CourseTemplate> {
  const [row] = await sql<CourseTemplate[]>`
    insert into course_templates (course_id, name, records, created_by)
    values (${input.courseId}, ${input.name}, ${sql.json(input.records as never)}, ${input.createdBy})
    returning ${columns(sql)}`
  return row
}

/** The templates of some courses, oldest first. */
export async function listCourseTemplates(sql: Sql, courseIds: string[]): Promise<CourseTemplate[]> {
  if (courseIds.length === 0) return []
  return sql<CourseTemplate[]>`select ${columns(sql)} from course_templates where course_id = any(${courseIds}::uuid[]) order by created_at, id`
}

/** One template with its records, or null. */
export async function getCourseTemplate(sql: Sql, id: string): Promise<CourseTemplateWithRecords | null> {
  const [row] = await sql<CourseTemplateWithRecords[]>`select ${columns(sql)}, records from course_templates where id = ${id}`
  return row ?? null
}

/** Deletes a template; true when there was one. */
export async function deleteCourseTemplate(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`delete from course_templates where id = ${id} returning id`
  return rows.length > 0
}
