import { LivemigError } from '../../errors.js';

/** The error every parser throws: which output it was reading and what it expected to find. */
export function parseFailed(source: string, expected: string, detail?: string): LivemigError {
  const suffix = detail === undefined ? '' : ` (${detail})`;
  return new LivemigError(
    'parse_failed',
    `could not read the output of ${source}: expected ${expected}${suffix}`,
    {
      hint: 'The remote tool printed something livemig does not understand; check its version and output by hand.',
    },
  );
}

/** A short, printable excerpt of unexpected text for error messages. */
export function excerpt(text: string, maxChars = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > maxChars ? `${oneLine.slice(0, maxChars)}…` : oneLine);
}
