import { createHmac } from 'node:crypto';

/**
 * Slack's request signature (v0): `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed
 * with the app's signing secret. The body must be the exact bytes sent.
 */
export function signSlackRequest(signingSecret: string, timestampSec: number, rawBody: string): string {
  const digest = createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${rawBody}`).digest('hex');
  return `v0=${digest}`;
}
