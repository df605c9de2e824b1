/**
 * Go's text/tabwriter as kubectl initialises it for history tables (minwidth 0, tabwidth 8,
 * padding 2, pad with spaces, no flags): each tab-terminated cell is padded to its column's widest
 * cell plus 2; the text after a line's last tab is not part of any column. Column widths are
 * computed over runs of consecutive lines that have that column, as tabwriter's blocks are.
 */
export function tabbed(text: string, padding = 2): string {
  const lines = text.split('\n');
  const rows = lines.map((l) => l.split('\t'));
  const widths: number[][] = rows.map((r) => new Array(Math.max(0, r.length - 1)).fill(0));
  const maxCols = Math.max(0, ...rows.map((r) => r.length - 1));
  for (let col = 0; col < maxCols; col++) {
    let start = 0;
    while (start < rows.length) {
      if (rows[start].length - 1 <= col) {
        start++;
        continue;
      }
      let end = start;
      let width = 0;
      while (end < rows.length && rows[end].length - 1 > col) {
        width = Math.max(width, [...rows[end][col]].length);
        end++;
      }
      for (let i = start; i < end; i++) widths[i][col] = width + padding;
      start = end;
    }
  }
  return rows
    .map((cells, i) =>
      cells
        .map((c, col) => (col < cells.length - 1 ? c + ' '.repeat(widths[i][col] - [...c].length) : c))
        .join(''),
    )
    .join('\n');
}
