/**
 * The table style of python-novaclient (prettytable): column widths from the content, `+---+`
 * borders, every cell left-aligned with one space of padding on each side.
 */
export function formatPrettyTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const border = `+${widths.map((width) => '-'.repeat(width + 2)).join('+')}+`;
  const line = (cells: readonly string[]): string =>
    `|${widths.map((width, column) => ` ${(cells[column] ?? '').padEnd(width)} `).join('|')}|`;
  // prettytable prints the closing border even when there are no rows (print_empty).
  return [border, line(headers), border, ...rows.map(line), border].join('\n') + '\n';
}

/** `nova show`-style two-column Property | Value table; rows are sorted like novaclient does. */
export function formatPropertyTable(properties: Record<string, string>): string {
  const rows = Object.keys(properties)
    .sort()
    .map((key) => [key, properties[key] ?? '']);
  return formatPrettyTable(['Property', 'Value'], rows);
}
