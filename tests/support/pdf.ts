/** What poppler says about a PDF: pdfinfo's fields, and each page's size and words with their boxes (pdftotext -bbox-layout). */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export type PdfWord = { text: string; xMin: number; yMin: number; xMax: number; yMax: number }
export type PdfPage = { width: number; height: number; words: PdfWord[]; text: string }

/** Reads `bytes` with pdfinfo and pdftotext. */
export async function readPdf(bytes: Buffer): Promise<{ info: Record<string, string>; pages: PdfPage[] }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'werkraum-pdf-'))
  try {
    const file = path.join(dir, 'doc.pdf')
    await fs.writeFile(file, bytes)
    const info = Object.fromEntries(
      execFileSync('pdfinfo', [file], { encoding: 'utf8' })
        .split('\n')
        .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!.trim(), m[2]!.trim()]),
    )
    const layout = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    const decode = (s: string) =>
      s
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
    const pages = [...layout.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((m) => {
      const words = [...m[3]!.matchAll(/<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([\s\S]*?)<\/word>/g)].map((w) => ({
        xMin: Number(w[1]),
        yMin: Number(w[2]),
        xMax: Number(w[3]),
        yMax: Number(w[4]),
        text: decode(w[5]!),
      }))
      return { width: Number(m[1]), height: Number(m[2]), words, text: words.map((w) => w.text).join(' ') }
    })
    return { info, pages }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

/** Words that reach beyond their page's edge (by more than half a point). */
export function wordsOutsidePages(pages: PdfPage[]): { page: number; word: PdfWord }[] {
  return pages.flatMap((p, i) => p.words.filter((w) => w.xMin < -0.5 || w.yMin < -0.5 || w.xMax > p.width + 0.5 || w.yMax > p.height + 0.5).map((word) => ({ page: i + 1, word })))
}
