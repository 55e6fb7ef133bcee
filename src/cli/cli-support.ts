/** Small helpers of the CLI's process commands: number flags and waiting for Ctrl-C. */
import { LivemigError } from '../errors.js';

/** A whole number flag within `range`, or a usage error naming the flag. */
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

/** A positive number flag, or a usage error naming the flag. */
export function positiveNumberFlag(flag: string, text: string, helpCommand: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw usageError(`${flag} must be a positive number`, helpCommand);
  return value;
}

function usageError(message: string, helpCommand: string): LivemigError {
  return new LivemigError('usage', message, { hint: `Run \`${helpCommand} --help\` for the options.` });
}

/** Resolves at the first SIGINT or SIGTERM (Ctrl-C, `kill`), so a foreground command can stop cleanly. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
