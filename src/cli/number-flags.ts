import { LivemigError } from '../errors.js';

/** Reads a whole-number flag in [min, max]; a usage error naming the flag and `helpCommand` otherwise. */
export function wholeNumberFlag(
  flag: string,
  text: string,
  range: { min: number; max: number },
  helpCommand: string,
): number {
  // Number() also reads "0x10", "1e3", " 5" and "+3": only plain decimal digits are a count.
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < range.min || value > range.max)
    throw usageError(`${flag} must be a whole number from ${range.min} to ${range.max}`, helpCommand);
  return value;
}

/** Reads a flag that must be a positive number (a speed factor, a ratio). */
export function positiveNumberFlag(flag: string, text: string, helpCommand: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw usageError(`${flag} must be a positive number`, helpCommand);
  return value;
}

function usageError(message: string, helpCommand: string): LivemigError {
  return new LivemigError('usage', message, { hint: `Run \`${helpCommand} --help\` for the options.` });
}
