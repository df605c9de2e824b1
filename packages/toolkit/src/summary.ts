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

  /** A table of plain-text cells (escaped here, so no caller escapes twice or forgets to). */
  table(header: string[], rows: string[][]): this {
    this.parts.push((s) => s.addRaw(htmlTable(header, rows), true));
    return this;
  }

  /** A chart GitHub renders from Mermaid source (a fenced block: the summary is GitHub-flavoured Markdown). */
  mermaid(source: string): this {
    this.parts.push((s) => s.addRaw(`\n\n\`\`\`mermaid\n${source.replace(/```/g, '')}\n\`\`\`\n\n`, true));
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

/**
 * The one table markup every summary uses. @actions/core's addTable writes an empty cell as an unclosed
 * `<td>` (`<td>healthy</td><td><td>0/3</td>`); here every cell is closed and every text escaped.
 */
export function htmlTable(header: string[], rows: string[][]): string {
  const row = (cells: string[], tag: 'th' | 'td') =>
    `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
  return `<table>${row(header, 'th')}${rows.map((r) => row(r, 'td')).join('')}</table>`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}
