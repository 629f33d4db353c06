/** CSV import of a course's participants: preview with per-row errors first, import only a valid file, then the links. */
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import type { ImportPreview } from '../../access/participant-import.server'
import { getCourse } from '../../db/courses.server'
import { csvFromForm, importParticipants, MAX_UPLOAD_BYTES, preview } from '~/admin/participant-import.server'
import { notFound, requireCan, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'

export const meta: MetaFunction = () => [{ title: 'Import · Werkraum' }]

async function managedCourse(request: Request, context: LoaderFunctionArgs['context'], params: LoaderFunctionArgs['params']) {
  const principal = await requirePrincipal(request, context)
  const id = z.uuid().safeParse(params.courseId)
  const course = id.success ? await getCourse(context.sql, id.data) : null
  if (!course) throw notFound()
  requireCan(principal, { type: 'course.manage', courseId: course.id })
  return { principal, course }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { course } = await managedCourse(request, context, params)
  return { course: { id: course.id, name: course.name } }
}

type ImportReply = { step: 'preview'; csv: string; preview: ImportPreview } | { step: 'done'; invited: { email: string; name: string; link: string; mailed: boolean }[]; granted: number }

const tooLarge: ImportPreview = { ok: false, fileError: 'too_large', encoding: 'text', text: '', rows: [] }

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { principal, course } = await managedCourse(request, context, params)
  const reply = (body: ImportReply, status = 200) => data(body, { status })
  if (Number(request.headers.get('content-length') ?? 0) > MAX_UPLOAD_BYTES) return reply({ step: 'preview', csv: '', preview: tooLarge }, 413)
  const form = await request.formData()
  const csv = await csvFromForm(form)
  if (form.get('intent') === 'import') {
    const outcome = await importParticipants(context, course.id, csv, principal.personId)
    if (!outcome.ok) return reply({ step: 'preview', csv: outcome.preview.text, preview: outcome.preview }, 422)
    return reply({ step: 'done', invited: outcome.invited, granted: outcome.granted })
  }
  const checked = await preview(context, course.id, csv)
  // The decoded text goes back to the page: the import sends it (UTF-8) instead of the file.
  return reply({ step: 'preview', csv: checked.text, preview: checked }, checked.ok ? 200 : 422)
}

export default function ImportPage() {
  const { course } = useLoaderData<typeof loader>()
  const result = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const { t } = useTranslation()
  return (
    <>
      <AppHeader />
      <main className="page">
        <p>
          <Link to={`/kurse/${course.id}`}>← {t('import.back')}</Link>
        </p>
        <h1>{t('import.title')}</h1>
        <p className="muted">{course.name}</p>
        {result?.step === 'done' ? (
          <ImportDone invited={result.invited} granted={result.granted} />
        ) : (
          <>
            <section className="card">
              <p className="hint">{t('import.intro')}</p>
              <Form method="post" encType="multipart/form-data" className="stack-form" key={result?.step === 'preview' ? result.csv : ''}>
                <input type="hidden" name="intent" value="preview" />
                <label htmlFor="file">{t('import.file')}</label>
                <input id="file" name="file" type="file" accept=".csv,text/csv,text/plain" />
                <label htmlFor="csv">{t('import.paste')}</label>
                <textarea id="csv" name="csv" className="csv" defaultValue={result?.step === 'preview' ? result.csv : ''} />
                <button type="submit" disabled={busy}>
                  {t('import.preview')}
                </button>
              </Form>
            </section>
            {result?.step === 'preview' ? <PreviewTable csv={result.csv} preview={result.preview} busy={busy} /> : null}
          </>
        )}
      </main>
    </>
  )
}

function PreviewTable({ csv, preview, busy }: { csv: string; preview: ImportPreview; busy: boolean }) {
  const { t } = useTranslation()
  const bad = preview.rows.filter((r) => r.errors.length > 0).length
  return (
    <section aria-labelledby="preview-heading" className="card">
      <h2 id="preview-heading">{t('import.previewTitle')}</h2>
      {preview.encoding !== 'text' ? (
        <p className="muted" data-testid="import-encoding">
          {t('import.encoding', { encoding: t(`import.encodings.${preview.encoding}`) })}
        </p>
      ) : null}
      {preview.fileError ? (
        <p role="alert" className="alert-box">
          {t(`import.fileErrors.${preview.fileError}`)}
        </p>
      ) : preview.ok ? (
        <p role="status" className="success">
          {t('import.previewOk', { count: preview.rows.length })}
        </p>
      ) : (
        <p role="alert" className="alert-box">
          {t('import.previewBad', { count: bad })}
        </p>
      )}
      {preview.rows.length > 0 ? (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('import.line')}</th>
              <th scope="col">{t('import.name')}</th>
              <th scope="col">{t('import.email')}</th>
              <th scope="col">{t('import.municipality')}</th>
              <th scope="col">{t('import.role')}</th>
              <th scope="col">{t('import.status')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr key={row.line} className={row.errors.length ? 'row-error' : undefined} data-testid={`import-row-${row.line}`}>
                <td>{row.line}</td>
                <td>{row.name}</td>
                <td>{row.email}</td>
                <td>{row.municipality}</td>
                <td>{row.errors.includes('role_invalid') ? row.role : t(`roles.${row.role}`)}</td>
                <td>
                  {row.errors.length ? (
                    <ul className="row-errors">
                      {row.errors.map((code) => (
                        <li key={code}>{t(`import.errors.${code}`)}</li>
                      ))}
                    </ul>
                  ) : row.existing ? (
                    t('import.existing')
                  ) : (
                    t('import.ok')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {preview.ok ? (
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="import" />
          <input type="hidden" name="csv" value={csv} />
          <button type="submit" disabled={busy}>
            {t('import.confirm')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}

function ImportDone({ invited, granted }: { invited: { email: string; name: string; link: string; mailed: boolean }[]; granted: number }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="done-heading" className="card">
      <h2 id="done-heading">{t('import.done')}</h2>
      {granted > 0 ? <p role="status">{t('import.granted', { count: granted })}</p> : null}
      {invited.length > 0 ? (
        <>
          <h3>{t('import.invitedTitle')}</h3>
          <p className="hint">{t('import.invitedIntro')}</p>
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('import.name')}</th>
                <th scope="col">{t('import.email')}</th>
                <th scope="col">{t('invitations.link')}</th>
              </tr>
            </thead>
            <tbody>
              {invited.map((person) => (
                <tr key={person.email}>
                  <td>{person.name}</td>
                  <td>{person.email}</td>
                  <td>
                    <input
                      className="link-box"
                      readOnly
                      value={person.link}
                      aria-label={`${t('invitations.link')}: ${person.email}`}
                      data-testid="invitation-link"
                      onFocus={(e) => e.currentTarget.select()}
                    />
                    {person.mailed ? <span className="muted">{t('invitations.mailed')}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}
