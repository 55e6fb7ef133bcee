import type { SimMessage } from './types.js';

/** A message as Slack puts it in API replies and payloads: the stored message minus its channel. */
export function toWireMessage(message: SimMessage): Omit<SimMessage, 'channel'> {
  const { channel: _channel, ...rest } = message;
  return rest;
}
