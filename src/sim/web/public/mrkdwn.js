/**
 * Slack mrkdwn to DOM nodes: *bold*, _italic_, ~strike~, `code`, ```code blocks```, <url|text>
 * links, <@U…> mentions, <#C…|name> channels, <!date^…|fallback>, :emoji: shortcodes. The app
 * escapes `&`, `<`, `>` as Slack requires; entities are decoded into text nodes, never parsed as
 * HTML.
 */
import { h } from './dom.js';

/** The shortcodes livemig's messages use, and a few common ones. */
const emoji = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  no_entry: '⛔',
  octagonal_sign: '🛑',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  rocket: '🚀',
  tada: '🎉',
  truck: '🚚',
  mag: '🔍',
  broom: '🧹',
  hammer_and_wrench: '🛠️',
  arrows_counterclockwise: '🔄',
  information_source: 'ℹ️',
  lock: '🔒',
  computer: '💻',
  large_green_circle: '🟢',
  red_circle: '🔴',
  large_yellow_circle: '🟡',
  stopwatch: '⏱️',
  bell: '🔔',
};

const inline =
  /(`[^`\n]+`)|(<[^<>\n]+>)|((?<![\w*])\*(?!\s)[^*\n]+?(?<!\s)\*(?![\w*]))|((?<![\w_])_(?!\s)[^_\n]+?(?<!\s)_(?![\w_]))|((?<![\w~])~(?!\s)[^~\n]+?(?<!\s)~(?![\w~]))|(:[a-z0-9_+-]+:)/g;

/**
 * @param {string} text mrkdwn as the app sent it
 * @param {(userId: string) => string} userName resolves a mention to a display name
 * @returns {Node[]}
 */
export function mrkdwn(text, userName) {
  const nodes = [];
  const parts = text.split(/```/);
  parts.forEach((part, index) => {
    // Odd parts sit between ``` fences; an unclosed fence is left as text, like Slack.
    const fenced = index % 2 === 1 && index < parts.length - 1;
    if (fenced) nodes.push(h('pre', { class: 'code-block' }, decode(part.replace(/^\n/, ''))));
    else nodes.push(...inlineNodes(index % 2 === 1 ? `\`\`\`${part}` : part, userName));
  });
  return nodes;
}

function inlineNodes(text, userName) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(inline)) {
    if (match.index > last) nodes.push(...textWithBreaks(decode(text.slice(last, match.index))));
    nodes.push(token(match, userName));
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(...textWithBreaks(decode(text.slice(last))));
  return nodes;
}

function token(match, userName) {
  const [whole, code, angle, bold, italic, strike, shortcode] = match;
  const inner = whole.slice(1, -1);
  if (code) return h('code', {}, decode(inner));
  if (angle) return angleToken(inner, userName);
  if (bold) return h('strong', {}, ...inlineNodes(inner, userName));
  if (italic) return h('em', {}, ...inlineNodes(inner, userName));
  if (strike) return h('s', {}, ...inlineNodes(inner, userName));
  if (shortcode) {
    const glyph = emoji[inner];
    return glyph
      ? h('span', { class: 'emoji', role: 'img', 'aria-label': inner.replaceAll('_', ' ') }, glyph)
      : document.createTextNode(whole);
  }
  return document.createTextNode(decode(whole));
}

/** `<…>`: links, mentions, channels, dates and special mentions. */
function angleToken(inner, userName) {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decode(inner.slice(bar + 1));
  if (target.startsWith('@')) return h('span', { class: 'mention' }, `@${userName(target.slice(1))}`);
  if (target.startsWith('#')) return h('span', { class: 'mention' }, `#${label ?? target.slice(1)}`);
  if (target.startsWith('!date^')) return h('time', {}, label ?? dateText(target));
  if (target.startsWith('!'))
    return h('span', { class: 'mention' }, `@${label ?? target.slice(1).split('^')[0]}`);
  const url = decode(target);
  if (/^(https?:|mailto:)/i.test(url))
    return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label ?? url);
  return document.createTextNode(label ?? url);
}

function dateText(target) {
  const seconds = Number(target.split('^')[1]);
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toLocaleString() : target;
}

function textWithBreaks(text) {
  const nodes = [];
  text.split('\n').forEach((line, index) => {
    if (index > 0) nodes.push(h('br'));
    if (line !== '') nodes.push(document.createTextNode(line));
  });
  return nodes;
}

/** Slack's three entities; any other `&…;` stays as typed. */
function decode(text) {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** plain_text objects may carry `:emoji:` when `emoji: true`; everything else is literal. */
export function plainText(textObject) {
  if (!textObject || typeof textObject.text !== 'string') return '';
  if (textObject.emoji === false) return textObject.text;
  return textObject.text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => emoji[name] ?? whole);
}
