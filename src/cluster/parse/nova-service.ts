/** `nova service-list`. */
import type { ComputeService } from '../types.js';
import { firstOf, optionalText, optionalWord, requiredText } from './nova-values.js';
import { parseFailed } from './parse-error.js';
import { parseColumnTable } from './prettytable.js';

const source = 'nova service-list';

/**
 * Parses service-list (`[Id |] Binary | Host | Zone | Status | State | Updated_at |
 * Disabled Reason [| Forced down]`); the Id column appeared in Kilo.
 */
export function parseServiceList(text: string): ComputeService[] {
  const table = parseColumnTable(text, source);
  for (const column of ['Binary', 'Host', 'Status', 'State']) {
    if (!table.columns.includes(column)) throw parseFailed(source, `a "${column}" column`, 'missing');
  }
  return table.rows.map((row) => ({
    id: optionalText(row.Id),
    binary: requiredText(row, 'Binary', source),
    host: requiredText(row, 'Host', source),
    zone: optionalText(row.Zone) ?? '',
    status: requiredWord(row.Status, ['enabled', 'disabled'] as const, 'Status'),
    state: requiredWord(row.State, ['up', 'down'] as const, 'State'),
    updatedAt: optionalText(firstOf(row, ['Updated_at', 'Updated At'])),
    disabledReason: optionalText(row['Disabled Reason']),
  }));
}

function requiredWord<T extends string>(value: string | undefined, words: readonly T[], key: string): T {
  const word = optionalWord(value, words, key, source);
  if (word === null) throw parseFailed(source, `a value in the ${key} column`, 'missing');
  return word;
}
