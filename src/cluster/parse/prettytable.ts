/**
 * prettytable, as the nova CLI prints it: a frame of `+---+` borders, one header row, then data
 * rows without separators. A value with line breaks is printed as several rows whose first column
 * is blank (novaclient's print_dict splits on newlines; wrapped list cells look the same), so such
 * rows are joined onto the row above with '\n'.
 */
import { excerpt, parseFailed } from './parse-error.js';

/** A multi-column table: header names in order, then one record per logical row. */
export interface ColumnTable {
  columns: string[];
  rows: Record<string, string>[];
}

const borderLine = /^\+(?:-+\+)+$/;

/**
 * Parses a multi-column table (nova list, service-list, hypervisor-list, migration-list).
 * `source` names the command for error messages.
 */
export function parseColumnTable(text: string, source: string): ColumnTable {
  const lines = text.split(/\r?\n/).map((line) => line.trimEnd());
  const start = lines.findIndex((line) => borderLine.test(line));
  if (start === -1) {
    throw parseFailed(source, 'a table framed by +---+ lines', `got ${excerpt(text)}`);
  }
  const border = lines[start]!;
  const headerLine = lines[start + 1];
  if (headerLine === undefined || !headerLine.startsWith('|') || lines[start + 2] !== border) {
    throw parseFailed(source, 'a header row between two +---+ lines');
  }
  const columns = splitRow(headerLine, border, source);
  const rows: Record<string, string>[] = [];
  let index = start + 3;
  for (; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (line === border) break;
    if (!line.startsWith('|'))
      throw parseFailed(source, 'a table row starting with |', `got ${excerpt(line)}`);
    const cells = splitRow(line, border, source);
    const previous = rows.at(-1);
    if (cells[0] === '' && previous !== undefined) {
      columns.forEach((column, i) => {
        const cell = cells[i] ?? '';
        if (cell !== '') previous[column] = previous[column] === '' ? cell : `${previous[column]}\n${cell}`;
      });
      continue;
    }
    rows.push(Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ''])));
  }
  if (index >= lines.length) throw parseFailed(source, 'the closing +---+ line of the table');
  return { columns, rows };
}

/**
 * Parses a two-column `Property | Value` table (nova show, hypervisor-show,
 * server-migration-show) into a record; continuation rows extend the value above.
 */
export function parsePropertyTable(text: string, source: string): Record<string, string> {
  const table = parseColumnTable(text, source);
  const [keyColumn, valueColumn] = table.columns;
  if (table.columns.length !== 2 || keyColumn === undefined || valueColumn === undefined) {
    throw parseFailed(
      source,
      'a two-column Property | Value table',
      `got columns ${table.columns.join(', ')}`,
    );
  }
  return Object.fromEntries(table.rows.map((row) => [row[keyColumn]!, row[valueColumn]!]));
}

/**
 * Cells of one row. prettytable pads to the border's column widths, so slicing at the border's
 * `+` positions keeps a `|` inside a cell intact; when the row's length differs (wide characters),
 * fall back to splitting on `|`.
 */
function splitRow(line: string, border: string, source: string): string[] {
  const width = border.split('+').length - 2;
  const positions = [...border.matchAll(/\+/g)].map((match) => match.index);
  if (line.length === border.length && positions.every((at) => line[at] === '|')) {
    const cells: string[] = [];
    for (let i = 1; i < positions.length; i += 1) {
      cells.push(line.slice(positions[i - 1]! + 1, positions[i]).trim());
    }
    return cells;
  }
  const parts = line.split('|');
  if (parts.length !== width + 2) {
    throw parseFailed(source, `${width} cells in every row`, `got ${excerpt(line)}`);
  }
  return parts.slice(1, -1).map((cell) => cell.trim());
}
