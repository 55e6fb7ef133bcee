/**
 * Word splitting of one command line, the way bash would do it for a single simple command.
 * The lab never runs a real shell, so anything that would need one (pipes, lists, redirections,
 * substitutions, expansions) is reported as unsupported instead of being half-interpreted: the
 * real livemig client only sends `program 'arg' 'arg'…`, so such input in the lab means a bug.
 */

/** The result of splitting: the words, or why bash (or the lab) would refuse the line. */
export type SplitResult =
  | { kind: 'words'; words: string[] }
  | { kind: 'unterminated'; quote: "'" | '"' }
  | { kind: 'unsupported'; syntax: string };

/** Operators and expansions the lab refuses when unquoted (bash would act on them). */
const operatorChars = new Set(['|', '&', ';', '<', '>', '(', ')', '`', '$', '\n', '*', '?', '[', '{', '}']);
/** Only special at the start of a word: a comment, or tilde expansion. */
const wordStartChars = new Set(['#', '~']);
const blanks = new Set([' ', '\t']);
/** Inside double quotes a backslash only escapes these; elsewhere it stays literal. */
const doubleQuoteEscapable = new Set(['$', '`', '"', '\\', '\n']);

/**
 * Splits `line` into words, removing quotes and backslash escapes. Single quotes keep everything
 * literally; double quotes keep everything but `$` and backquote (refused) and backslash escapes.
 */
export function splitWords(line: string): SplitResult {
  const words: string[] = [];
  let word = '';
  // A word exists once any character or any quotes were seen: `''` is one empty word.
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (blanks.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return { kind: 'unterminated', quote: "'" };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const quoted = readDoubleQuoted(line, i + 1);
      if (quoted.kind !== 'text') return quoted.result;
      word += quoted.text;
      inWord = true;
      i = quoted.next;
    } else if (c === '\\') {
      const next = line[i + 1];
      // Backslash-newline is a line continuation; a trailing backslash stays literal.
      if (next !== '\n') {
        word += next ?? '\\';
        inWord = true;
      }
      i += 2;
    } else if (operatorChars.has(c) || (!inWord && wordStartChars.has(c))) {
      return { kind: 'unsupported', syntax: c === '\n' ? 'newline' : c };
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { kind: 'words', words };
}

type DoubleQuoted =
  | { kind: 'text'; text: string; next: number }
  | { kind: 'refused'; result: Exclude<SplitResult, { kind: 'words' }> };

function readDoubleQuoted(line: string, start: number): DoubleQuoted {
  let text = '';
  let i = start;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '"') return { kind: 'text', text, next: i + 1 };
    if (c === '$' || c === '`') return { kind: 'refused', result: { kind: 'unsupported', syntax: c } };
    if (c === '\\' && i + 1 < line.length && doubleQuoteEscapable.has(line[i + 1]!)) {
      if (line[i + 1] !== '\n') text += line[i + 1];
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  return { kind: 'refused', result: { kind: 'unterminated', quote: '"' } };
}
