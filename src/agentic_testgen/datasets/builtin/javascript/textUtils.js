'use strict';
// Small string helpers: capitalization, slugs, truncation and word counts.

function requireString(value, name) {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a string`);
  }
}

function capitalize(text) {
  requireString(text, 'text');
  if (text.length === 0) return text;
  return text[0].toUpperCase() + text.slice(1);
}

function titleCase(text) {
  requireString(text, 'text');
  return text
    .split(' ')
    .map((word) => (word ? capitalize(word.toLowerCase()) : word))
    .join(' ');
}

// 'Héllo, World!' -> 'hello-world'
function slugify(text, separator = '-') {
  requireString(text, 'text');
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .split(separator)
    .filter(Boolean)
    .join(separator);
}

function truncate(text, maxLength, ellipsis = '...') {
  requireString(text, 'text');
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new RangeError('maxLength must be a non-negative integer');
  }
  if (text.length <= maxLength) return text;
  if (maxLength <= ellipsis.length) return ellipsis.slice(0, maxLength);
  return text.slice(0, maxLength - ellipsis.length).trimEnd() + ellipsis;
}

function countWords(text) {
  requireString(text, 'text');
  const words = text.trim().split(/\s+/);
  return words[0] === '' ? 0 : words.length;
}

module.exports = { capitalize, titleCase, slugify, truncate, countWords };
