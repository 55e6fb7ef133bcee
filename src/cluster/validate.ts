/**
 * The only values allowed into a remote command: UUIDs, libvirt domain names, inventory host names
 * and fixed words. Each is checked against a strict pattern here, before any command is built.
 */
import { hostNamePattern } from '../config/schema.js';
import { LivemigError } from '../errors.js';

export const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const domainNamePattern = /^instance-[0-9a-f]{8}$/;
/** nova's migration ids are integers. */
export const migrationIdPattern = /^[0-9]{1,12}$/;
/** The one free-text value (a server name typed by a user) is bounded and printable. */
export const maxServerNameLength = 255;

/** C0, DEL, C1 and the Unicode line/paragraph separators: each can break a line of output. */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function unsafe(what: string, value: string, expected: string): LivemigError {
  // Quoted and escaped, so that a refused value never breaks a line of output or a header.
  const shown = JSON.stringify(value).replace(
    new RegExp(controlCharacters.source, 'g'),
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return new LivemigError('unsafe_argument', `refusing ${what} ${shown}: expected ${expected}`);
}

/** A server UUID in nova's canonical lower-case form. */
export function checkUuid(value: string): string {
  if (!uuidPattern.test(value)) throw unsafe('server id', value, 'a lower-case UUID');
  return value;
}

/** A libvirt domain name as nova creates them (instance-0000002a). */
export function checkDomainName(value: string): string {
  if (!domainNamePattern.test(value))
    throw unsafe('libvirt domain name', value, 'instance-xxxxxxxx (8 hex digits)');
  return value;
}

/** An inventory or nova-compute host name. */
export function checkHostName(value: string): string {
  if (!hostNamePattern.test(value)) throw unsafe('host name', value, 'letters, digits, dots and dashes');
  return value;
}

/** A nova migration id. */
export function checkMigrationId(value: string): string {
  if (!migrationIdPattern.test(value)) throw unsafe('migration id', value, 'a number');
  return value;
}

/**
 * A server name typed by a user: it reaches `nova show` as ONE argv element (quoted by src/ssh),
 * so it only has to be bounded, non-empty, free of control characters and not look like an option.
 */
export function checkServerName(value: string): string {
  if (value.length === 0 || value.length > maxServerNameLength) {
    throw unsafe('server name', value.slice(0, 40), `1 to ${maxServerNameLength} characters`);
  }
  if (controlCharacters.test(value)) throw unsafe('server name', value, 'no control characters');
  if (value.startsWith('-')) throw unsafe('server name', value, 'a name that does not start with "-"');
  return value;
}

/** A count of lines for `tail -n`. */
export function checkLineCount(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw new LivemigError('unsafe_argument', `refusing a line count of ${value}: expected 1 to 10000`);
  }
  return value;
}

/** A service-disable reason: short, plain words (it is shown in `nova service-list`). */
export function checkReason(value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9 .,:_()/-]{0,99}$/.test(value)) {
    throw unsafe('disable reason', value, 'up to 100 letters, digits, spaces and . , : _ ( ) / -');
  }
  return value;
}
