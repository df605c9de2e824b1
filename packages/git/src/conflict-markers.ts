/**
 * The 1-based line of the first conflict marker (`<<<<<<< label`) in a merged blob, or undefined.
 * git writes markers of `conflict-marker-size` (default 7) characters followed by a space and the
 * side's label; a longer run of `<` is text, not a marker.
 */
export function firstConflictMarkerLine(content: Buffer | string, markerSize = 7): number | undefined {
  const text = typeof content === 'string' ? content : content.toString('utf8');
  const marker = '<'.repeat(markerSize);
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const end = text.indexOf('\n', start);
    const row = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
    if (row.startsWith(marker) && (row.length === markerSize || row[markerSize] === ' ')) return line;
    if (end === -1) break;
    start = end + 1;
    line++;
  }
  return undefined;
}
