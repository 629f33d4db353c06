/** The course page's sections: modules, teams, course boards, people and roles, invitations. */
import { Form, Link, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { coursePage } from './courses.server'

type Page = Awaited<ReturnType<typeof coursePage>>

/** What the course page's action answers: which form, and an error or notice (i18n keys). */
export type CourseReply = {
  intent: string
  error?: string
  notice?: string
  number?: number
  name?: string
  invitation?: { email: string; link: string; expiresAt: string; mailed: boolean }
}

function Message({ reply, intent, number }: { reply: CourseReply | null; intent: string; number?: number }) {
  const { t } = useTranslation()
  if (!reply || reply.intent !== intent || (number !== undefined && reply.number !== number)) return null
  if (reply.error) {
    return (
      <p role="alert" className="error">
        {t(reply.error)}
      </p>
    )
  }
  if (reply.notice) {
    return (
      <p role="status" className="success">
        {t(reply.notice, { number: reply.number, name: reply.name })}
      </p>
    )
  }
  return null
}

/** The whole course page; management sections only for those who manage the course. */
export function CourseView({ page, reply }: { page: Page; reply: CourseReply | null }) {
  const { t } = useTranslation()
  const { course } = page
  return (
    <main className="page">
      <p>
        <Link to="/kurse">← {t('course.back')}</Link>
      </p>
      <h1>{course.name}</h1>
      <p className="muted">{[course.cohort, t(`formats.${course.format}`)].filter(Boolean).join(' · ')}</p>
      <Modules page={page} reply={reply} />
      <Teams page={page} reply={reply} />
      <CourseBoards page={page} reply={reply} />
      {page.manage ? (
        <>
          <People page={page} reply={reply} />
          <Invitations page={page} reply={reply} />
        </>
      ) : null}
    </main>
  )
}

function Modules({ page, reply }: { page: Page; reply: CourseReply | null }) {
  const { t } = useTranslation()
  const busy = useNavigation().state !== 'idle'
  return (
    <section aria-labelledby="modules-heading" className="card">
      <h2 id="modules-heading">{t('course.modules')}</h2>
      {page.modules.map((m) =>
        page.manage ? (
          <Form method="post" key={m.number} className="module-form" aria-labelledby={`module-${m.number}`}>
            <h3 id={`module-${m.number}`}>{t('course.moduleNumber', { number: m.number })}</h3>
            <input type="hidden" name="intent" value="module" />
            <input type="hidden" name="number" value={m.number} />
            <div className="inline-form">
              <div className="field">
                <label htmlFor={`module-${m.number}-title`}>{t('course.moduleTitle')}</label>
                <input id={`module-${m.number}-title`} name="title" defaultValue={m.title} required maxLength={200} size={36} />
              </div>
              <div className="field">
                <label htmlFor={`module-${m.number}-startsOn`}>{t('course.startsOn')}</label>
                <input id={`module-${m.number}-startsOn`} name="startsOn" type="date" defaultValue={m.startsOn} />
              </div>
              <div className="field">
                <label htmlFor={`module-${m.number}-endsOn`}>{t('course.endsOn')}</label>
                <input id={`module-${m.number}-endsOn`} name="endsOn" type="date" defaultValue={m.endsOn} />
              </div>
              <div className="field">
                <label htmlFor={`module-${m.number}-place`}>{t('course.place')}</label>
                <input id={`module-${m.number}-place`} name="place" defaultValue={m.place} maxLength={200} size={14} />
              </div>
              <button type="submit" disabled={busy}>
                {t('course.saveModule')}
                <span className="visually-hidden"> {m.number}</span>
              </button>
            </div>
            <Message reply={reply} intent="module" number={m.number} />
          </Form>
        ) : (
          <div key={m.number} className="module-form">
            <h3>{t('course.moduleNumber', { number: m.number })}</h3>
            <p>
              {m.title || <span className="muted">{t('course.noModule')}</span>}
              {[m.startsOn && m.endsOn && m.endsOn !== m.startsOn ? `${m.startsOn} – ${m.endsOn}` : m.startsOn, m.place].filter(Boolean).map((part) => (
                <span key={part} className="muted">
                  {' · '}
                  {part}
                </span>
              ))}
            </p>
          </div>
        ),
      )}
    </section>
  )
}

function Teams({ page, reply }: { page: Page; reply: CourseReply | null }) {
  const { t } = useTranslation()
  const busy = useNavigation().state !== 'idle'
  return (
    <section aria-labelledby="teams-heading" className="card">
      <h2 id="teams-heading">{t('course.teams')}</h2>
      {page.teams.length === 0 ? (
        <p className="muted">{t('course.noTeams')}</p>
      ) : (
        <ul className="link-list">
          {page.teams.map((team) => (
            <li key={team.id}>
              {team.open ? <Link to={`/kommunen/${team.id}`}>{team.name}</Link> : team.name}
              <span className="muted"> · {t(`kinds.${team.kind}`)}</span>
            </li>
          ))}
        </ul>
      )}
      <Message reply={reply} intent="teams" />
      {page.manage && page.otherMunicipalities.length > 0 ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="addTeam" />
          <div className="field">
            <label htmlFor="addTeam-municipalityId">{t('course.existingMunicipality')}</label>
            <select id="addTeam-municipalityId" name="municipalityId" required defaultValue="">
              <option value="" disabled>
                {t('course.chooseMunicipality')}
              </option>
              {page.otherMunicipalities.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            {t('course.addTeam')}
          </button>
        </Form>
      ) : null}
      {page.canCreateMunicipality ? (
        <Form method="post" className="inline-form" aria-labelledby="create-municipality-heading">
          <h3 id="create-municipality-heading" className="visually-hidden">
            {t('course.createMunicipality')}
          </h3>
          <input type="hidden" name="intent" value="createMunicipality" />
          <div className="field">
            <label htmlFor="createMunicipality-name">{t('course.municipalityName')}</label>
            <input id="createMunicipality-name" name="name" required maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor="createMunicipality-kind">{t('course.municipalityKind')}</label>
            <select id="createMunicipality-kind" name="kind" defaultValue="Stadt">
              <option value="Stadt">{t('kinds.Stadt')}</option>
              <option value="Kreis">{t('kinds.Kreis')}</option>
              <option value="Gemeinde">{t('kinds.Gemeinde')}</option>
            </select>
          </div>
          <button type="submit" disabled={busy}>
            {t('course.createMunicipality')}
          </button>
        </Form>
      ) : null}
    </section>
  )
}

function CourseBoards({ page, reply }: { page: Page; reply: CourseReply | null }) {
  const { t } = useTranslation()
  const busy = useNavigation().state !== 'idle'
  return (
    <section aria-labelledby="course-boards-heading" className="card">
      <h2 id="course-boards-heading">{t('course.boards')}</h2>
      {page.boards.length === 0 ? (
        <p className="muted">{t('course.noBoards')}</p>
      ) : (
        <ul className="link-list">
          {page.boards.map((b) => (
            <li key={b.id}>
              <Link to={`/boards/${b.id}`}>{b.title}</Link>
            </li>
          ))}
        </ul>
      )}
      {page.canCreateBoard ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="createBoard" />
          <div className="field">
            <label htmlFor="createBoard-title">{t('municipality.boardTitle')}</label>
            <input id="createBoard-title" name="title" required maxLength={200} placeholder={t('boards.titlePlaceholder')} />
          </div>
          <button type="submit" disabled={busy}>
            {t('boards.create')}
          </button>
        </Form>
      ) : null}
      <Message reply={reply} intent="createBoard" />
    </section>
  )
}

function People({ page, reply }: { page: Page; reply: CourseReply | null }) {
  const { t } = useTranslation()
  const busy = useNavigation().state !== 'idle'
  return (
    <section aria-labelledby="people-heading" className="card">
      <h2 id="people-heading">{t('course.people')}</h2>
      <p className="actions">
        <Link to={`/kurse/${page.course.id}/import`} className="button-link">
          {t('course.import')}
        </Link>
      </p>
      <Message reply={reply} intent="people" />
      {page.members.length === 0 ? (
        <p className="muted">{t('course.noPeople')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('course.person')}</th>
              <th scope="col">{t('course.role')}</th>
              <th scope="col">{t('course.scope')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('course.revoke')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {page.members.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.name || m.email}
                  <br />
                  <span className="muted">{m.email}</span>
                </td>
                <td>{t(`roles.${m.role}`)}</td>
                <td>{m.scope ?? t('course.wholeCourse')}</td>
                <td>
                  {m.canRevoke ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="membershipId" value={m.id} />
                      <button type="submit" disabled={busy} aria-label={t('course.revokeLabel', { role: t(`roles.${m.role}`), name: m.name || m.email })}>
                        {t('course.revoke')}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function Invitations({ page, reply }: { page: Page; reply: CourseReply | null }) {
  const { t, i18n } = useTranslation()
  const busy = useNavigation().state !== 'idle'
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' })
  const invitation = reply?.intent === 'invite' ? reply.invitation : undefined
  return (
    <section aria-labelledby="invite-heading" className="card">
      <h2 id="invite-heading">{t('invitations.title')}</h2>
      <p className="hint">{t('invitations.intro')}</p>
      {page.grantableRoles.length > 0 ? (
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value="invite" />
          <div className="field">
            <label htmlFor="invite-email">{t('invitations.email')}</label>
            <input id="invite-email" name="email" type="email" required maxLength={320} size={28} />
          </div>
          <div className="field">
            <label htmlFor="invite-role">{t('invitations.role')}</label>
            <select id="invite-role" name="role" defaultValue={page.grantableRoles[0]}>
              {page.grantableRoles.map((role) => (
                <option key={role} value={role}>
                  {t(`roles.${role}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="invite-municipalityId">{t('invitations.municipality')}</label>
            <select id="invite-municipalityId" name="municipalityId" defaultValue={page.teams[0]?.id ?? ''}>
              <option value="">{t('invitations.noMunicipality')}</option>
              {page.teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            {t('invitations.submit')}
          </button>
        </Form>
      ) : null}
      <Message reply={reply} intent="invite" />
      {invitation ? (
        <div role="status" className="success">
          <p>{t('invitations.created', { email: invitation.email, date: date.format(new Date(invitation.expiresAt)) })}</p>
          <input className="link-box" readOnly value={invitation.link} aria-label={t('invitations.link')} data-testid="invitation-link" onFocus={(e) => e.currentTarget.select()} />
          {invitation.mailed ? <p>{t('invitations.mailed')}</p> : null}
        </div>
      ) : null}
      <h3>{t('invitations.open')}</h3>
      {page.invitations.length === 0 ? (
        <p className="muted">{t('invitations.noOpen')}</p>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('invitations.email')}</th>
              <th scope="col">{t('invitations.role')}</th>
              <th scope="col">{t('course.scope')}</th>
              <th scope="col">{t('invitations.expires')}</th>
            </tr>
          </thead>
          <tbody>
            {page.invitations.map((i) => (
              <tr key={i.id}>
                <td>{i.email}</td>
                <td>{t(`roles.${i.role}`)}</td>
                <td>{i.scope ?? t('course.wholeCourse')}</td>
                <td>{date.format(new Date(i.expiresAt))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
