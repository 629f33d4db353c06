/** A municipality: its Systemdesign status (changeable by those allowed), its boards, its team and its courses. */
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { createBoardWithTemplate, templateChoice, templateChoices, TemplateRefused } from '../../collab/features/templates.server'
import * as courses from '../../db/courses.server'
import { municipalityPage } from '~/admin/municipalities.server'
import { notFound, requireCan, requirePrincipal } from '~/auth.server'
import { AppHeader } from '~/components/AppHeader'
import { localeFromRequest } from '~/i18n'

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.municipality.name} · Werkraum` : 'Werkraum' }]

async function loadMunicipality(sql: Parameters<typeof courses.getMunicipality>[0], id: string | undefined) {
  const parsed = z.uuid().safeParse(id)
  const municipality = parsed.success ? await courses.getMunicipality(sql, parsed.data) : null
  if (!municipality) throw notFound()
  return municipality
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const municipality = await loadMunicipality(context.sql, params.municipalityId)
  requireCan(principal, { type: 'municipality.view', municipalityId: municipality.id })
  const page = await municipalityPage(context.sql, principal, municipality)
  const owner = { municipalityId: municipality.id, courseId: null }
  const templates = page.canCreateBoard ? await templateChoices(context.sql, principal, owner, localeFromRequest(request)) : []
  return { ...page, templates }
}

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('status'), status: z.enum(courses.designStatuses) }),
  z.object({
    intent: z.literal('createBoard'),
    title: z.string().trim().min(1).max(200),
    template: z.union([z.literal('').transform(() => null), templateChoice]).default(null),
  }),
])

export async function action({ request, context, params }: ActionFunctionArgs) {
  const principal = await requirePrincipal(request, context)
  const municipality = await loadMunicipality(context.sql, params.municipalityId)
  const form = Object.fromEntries(await request.formData())
  const parsed = intents.safeParse(form)
  if (!parsed.success) {
    return data({ intent: String(form.intent ?? ''), error: form.intent === 'createBoard' ? 'boards.titleRequired' : 'common.invalid' }, { status: 400 })
  }
  if (parsed.data.intent === 'status') {
    requireCan(principal, { type: 'design.status', municipalityId: municipality.id })
    await courses.setDesignStatus(context.sql, municipality.id, parsed.data.status)
    return data({ intent: 'status', notice: 'municipality.statusSaved' })
  }
  const owner = { municipalityId: municipality.id, courseId: null }
  requireCan(principal, { type: 'board.create', board: owner })
  try {
    const board = await createBoardWithTemplate(context.sql, context.services.rooms, principal, {
      title: parsed.data.title,
      owner,
      template: parsed.data.template,
      locale: localeFromRequest(request),
    })
    return redirect(`/boards/${board.id}`)
  } catch (error) {
    if (error instanceof TemplateRefused) return data({ intent: 'createBoard', error: 'templates.unknown' }, { status: 400 })
    throw error
  }
}

export default function MunicipalityPage() {
  const page = useLoaderData<typeof loader>()
  const reply = useActionData<typeof action>()
  const busy = useNavigation().state !== 'idle'
  const { t, i18n } = useTranslation()
  const dateFormat = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  const message = (intent: string) =>
    reply && reply.intent === intent ? (
      'error' in reply ? (
        <p role="alert" className="error">
          {t(reply.error)}
        </p>
      ) : (
        <p role="status" className="success">
          {t(reply.notice)}
        </p>
      )
    ) : null
  return (
    <>
      <AppHeader />
      <main className="page">
        <h1>{page.municipality.name}</h1>
        <p className="muted">{t(`kinds.${page.municipality.kind}`)}</p>
        <section aria-labelledby="design-heading" className="card">
          <h2 id="design-heading">{t('municipality.design')}</h2>
          <p>
            {t('municipality.status')}:{' '}
            <span className="status-badge" data-testid="design-status">
              {t(`designStatus.${page.design.status}`)}
            </span>
            {page.design.updatedAt ? (
              <span className="muted">
                {' '}
                · {t('municipality.statusChanged')} {dateFormat.format(new Date(page.design.updatedAt))}
              </span>
            ) : null}
          </p>
          {page.canSetStatus ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="status" />
              <div className="field">
                <label htmlFor="status-status">{t('municipality.changeStatus')}</label>
                <select id="status-status" name="status" defaultValue={page.design.status} key={page.design.status}>
                  {page.statuses.map((s) => (
                    <option key={s} value={s}>
                      {t(`designStatus.${s}`)}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" disabled={busy}>
                {t('common.save')}
              </button>
            </Form>
          ) : null}
          {message('status')}
          <p>
            <Link to={`/kommunen/${page.municipality.id}/systemdesign`} data-testid="design-link">
              {t('design.link')}
            </Link>{' '}
            <span className="muted">· {t('design.linkHint')}</span>
          </p>
          <p>
            <Link to={`/kommunen/${page.municipality.id}/staende`} data-testid="snapshots-link">
              {t('snapshots.link')}
            </Link>{' '}
            <span className="muted">· {t('snapshots.linkHint')}</span>
          </p>
        </section>
        <section aria-labelledby="boards-heading" className="card">
          <h2 id="boards-heading">{t('municipality.boards')}</h2>
          {page.boards.length === 0 ? (
            <p className="muted">{t('municipality.noBoards')}</p>
          ) : (
            <ul className="board-list">
              {page.boards.map((b) => (
                <li key={b.id}>
                  <span>
                    <Link to={`/boards/${b.id}`}>{b.title}</Link>
                    {page.readOnly ? <span className="muted"> · {t('board.readOnly')}</span> : null}
                  </span>
                  <span className="muted">
                    {t('boards.updated')}: {dateFormat.format(new Date(b.updatedAt))}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {page.canCreateBoard ? (
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="createBoard" />
              <div className="field">
                <label htmlFor="createBoard-title">{t('municipality.boardTitle')}</label>
                <input id="createBoard-title" name="title" required maxLength={200} placeholder={t('municipality.boardTitlePlaceholder')} />
              </div>
              <div className="field">
                <label htmlFor="createBoard-template">{t('templates.choice')}</label>
                <select id="createBoard-template" name="template" defaultValue="" data-testid="template-choice">
                  <option value="">{t('templates.empty')}</option>
                  <optgroup label={t('templates.builtIn')}>
                    {page.templates
                      .filter((c) => !c.course)
                      .map((c) => (
                        <option key={c.value} value={c.value}>
                          {c.title}
                        </option>
                      ))}
                  </optgroup>
                  {page.templates.some((c) => c.course) ? (
                    <optgroup label={t('templates.ofCourse')}>
                      {page.templates
                        .filter((c) => c.course)
                        .map((c) => (
                          <option key={c.value} value={c.value}>
                            {c.title} ({c.course})
                          </option>
                        ))}
                    </optgroup>
                  ) : null}
                </select>
              </div>
              <button type="submit" disabled={busy}>
                {t('municipality.createBoard')}
              </button>
            </Form>
          ) : null}
          {message('createBoard')}
        </section>
        <div className="columns">
          <section aria-labelledby="team-heading" className="card">
            <h2 id="team-heading">{t('municipality.team')}</h2>
            {page.team.length === 0 ? (
              <p className="muted">{t('municipality.noTeam')}</p>
            ) : (
              <ul className="role-list">
                {page.team.map((m) => (
                  <li key={m.id}>
                    {m.name} <span className="muted">· {t(`roles.${m.role}`)}</span>
                    {m.email ? <span className="muted"> · {m.email}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </section>
          {page.courses.length > 0 ? (
            <section aria-labelledby="courses-heading" className="card">
              <h2 id="courses-heading">{t('municipality.courses')}</h2>
              <ul className="link-list">
                {page.courses.map((c) => (
                  <li key={c.id}>
                    <Link to={`/kurse/${c.id}`}>{c.name}</Link>
                    {c.cohort ? <span className="muted"> · {c.cohort}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      </main>
    </>
  )
}
