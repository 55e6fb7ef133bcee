import { existsSync } from 'node:fs';

/**
 * Whether a system binary that a test needs is installed. Absent: the test file skips with a
 * visible message, except under REQUIRE_SYSTEM_TESTS=1 (CI), where collecting the file fails,
 * so CI can never go green by skipping.
 *
 * Usage: `describe.skipIf(!hasSystemBinary('/usr/sbin/sshd'))('against a real OpenSSH sshd', ...)`
 */
export function hasSystemBinary(path: string): boolean {
  if (existsSync(path)) return true;
  if (process.env.REQUIRE_SYSTEM_TESTS === '1') {
    throw new Error(`${path} is required because REQUIRE_SYSTEM_TESTS=1, but it is not installed`);
  }
  console.warn(
    `SKIPPING tests that need ${path}: not installed (set REQUIRE_SYSTEM_TESTS=1 to fail instead)`,
  );
  return false;
}
