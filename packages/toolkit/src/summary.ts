import * as core from '@actions/core';

export type Cell = string | { data: string; header?: boolean };

/**
 * A small builder over the job summary: headings, paragraphs, tables, code. `write()` appends to
 * GITHUB_STEP_SUMMARY when the runner gives one and does nothing at a terminal.
 */
export class Summary {
  private readonly parts: Array<(s: typeof core.summary) => void> = [];

  heading(text: string, level: 1 | 2 | 3 = 2): this {
    this.parts.push((s) => s.addHeading(text, level));
    return this;
  }

  paragraph(html: string): this {
    this.parts.push((s) => s.addRaw(`<p>${html}</p>`, true));
    return this;
  }

  table(header: string[], rows: string[][]): this {
    this.parts.push((s) =>
      s.addTable([
        header.map((h) => ({ data: h, header: true })),
        ...rows.map((r) => r.map((c) => escapeHtml(c))),
      ]),
    );
    return this;
  }

  code(text: string, lang?: string): this {
    this.parts.push((s) => s.addCodeBlock(text, lang));
    return this;
  }

  async write(): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    for (const p of this.parts) p(core.summary);
    await core.summary.write();
  }
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
