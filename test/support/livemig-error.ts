import { LivemigError } from '../../src/errors.js';

/** Runs `fn` and returns the LivemigError it throws; fails the test if it throws nothing or another error. */
export function livemigErrorOf(fn: () => unknown): LivemigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof LivemigError) return error;
    throw error;
  }
  throw new Error('expected a LivemigError');
}
