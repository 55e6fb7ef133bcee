import { describe, expect, it } from 'vitest';
import { findBlockKitViolations } from '../../src/sim/index.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (fields: Record<string, unknown>) => ({
  type: 'actions',
  elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'Go' }, ...fields }],
});

describe('findBlockKitViolations', () => {
  it('accepts a request card within every limit', () => {
    expect(
      findBlockKitViolations([section('x'.repeat(3000)), button({ value: 'v'.repeat(2000) })], 'message'),
    ).toEqual([]);
  });

  it('allows 50 blocks in a message but 100 in a modal or the Home tab', () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(findBlockKitViolations(blocks, 'message')).toEqual([
      'must have at most 50 items [json-pointer:/blocks]',
    ]);
    expect(findBlockKitViolations(blocks, 'home')).toEqual([]);
  });

  it('points at a section text over 3000 characters and a header over 150', () => {
    const header = { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } };
    expect(findBlockKitViolations([section('x'.repeat(3001)), header], 'message')).toEqual([
      'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
      'must be less than 151 characters [json-pointer:/blocks/1/text/text]',
    ]);
  });

  it('refuses a button with long text, an oversized value or an unknown style', () => {
    const long = { type: 'plain_text', text: 'b'.repeat(76) };
    expect(
      findBlockKitViolations([button({ text: long, value: 'v'.repeat(2001), style: 'blue' })], 'message'),
    ).toEqual([
      'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
      'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
      'must be one of: primary, danger [json-pointer:/blocks/0/elements/0/style]',
    ]);
  });

  it('refuses duplicate block_ids, empty texts and unknown block types', () => {
    const blocks = [
      { ...section('a'), block_id: 'card' },
      { ...section(''), block_id: 'card' },
      { type: 'carousel' },
    ];
    expect(findBlockKitViolations(blocks, 'message')).toEqual([
      'duplicate block_id: card [json-pointer:/blocks/1/block_id]',
      'must be more than 0 characters [json-pointer:/blocks/1/text/text]',
      'unsupported type: carousel [json-pointer:/blocks/2/type]',
    ]);
  });

  it('refuses something that is not a list of blocks', () => {
    expect(findBlockKitViolations({ type: 'section' }, 'message')).toEqual([
      'must be an array [json-pointer:/blocks]',
    ]);
  });
});
