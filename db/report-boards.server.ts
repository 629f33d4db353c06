/** The report's choice of boards per municipality (table report_boards): which whiteboards the Systemdesign-Bericht prints, in which order. */
import type { Sql } from './client.server'

export type ReportBoardChoice = { boardId: string; position: number; included: boolean }

/** The stored choices of a municipality, in their order. */
export async function listReportBoards(sql: Sql, municipalityId: string): Promise<ReportBoardChoice[]> {
  return sql<ReportBoardChoice[]>`
    select board_id as "boardId", position, included from report_boards
    where municipality_id = ${municipalityId} order by position, board_id`
}

/** Replaces a municipality's choices with `choices` (their order is the report's order). */
export async function saveReportBoards(sql: Sql, municipalityId: string, choices: { boardId: string; included: boolean }[]): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from report_boards where municipality_id = ${municipalityId}`
    for (const [position, choice] of choices.entries()) {
      await tx`
        insert into report_boards (municipality_id, board_id, position, included)
        select ${municipalityId}, id, ${position}, ${choice.included} from boards
        where id = ${choice.boardId} and municipality_id = ${municipalityId} and kind = 'whiteboard'`
    }
  })
}

/** Orders `boards` as chosen (boards without a choice last, in their given order) and marks each as included or not. */
export function applyReportChoices<T extends { id: string }>(boards: T[], choices: ReportBoardChoice[]): (T & { included: boolean })[] {
  const byId = new Map(choices.map((c) => [c.boardId, c]))
  const rank = (b: T) => byId.get(b.id)?.position ?? Number.MAX_SAFE_INTEGER
  return boards
    .map((b, i) => ({ b, i }))
    .sort((x, y) => rank(x.b) - rank(y.b) || x.i - y.i)
    .map(({ b }) => ({ ...b, included: byId.get(b.id)?.included ?? true }))
}
