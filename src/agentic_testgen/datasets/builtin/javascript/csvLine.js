'use strict';
// Parse one CSV line with a small state machine: quoted fields, doubled quotes, custom
// delimiters and optional trimming of unquoted fields.

const START = 'start'; // at the start of a field
const UNQUOTED = 'unquoted';
const QUOTED = 'quoted';
const QUOTE_IN_QUOTED = 'quote-in-quoted'; // a quote seen inside a quoted field

class CsvError extends Error {
  constructor(message, column) {
    super(`${message} at column ${column}`);
    this.name = 'CsvError';
    this.column = column;
  }
}

function parseLine(line, { delimiter = ',', trim = false } = {}) {
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"') {
    throw new TypeError('delimiter must be one character other than a quote');
  }
  const fields = [];
  let field = '';
  let state = START;
  const finish = (quoted) => {
    fields.push(trim && !quoted ? field.trim() : field);
    field = '';
  };

  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    switch (state) {
      case START:
        if (ch === '"') {
          state = QUOTED;
        } else if (ch === delimiter) {
          finish(false);
        } else if (trim && ch === ' ') {
          // leading blanks before a quote are allowed when trimming
        } else {
          field += ch;
          state = UNQUOTED;
        }
        break;
      case UNQUOTED:
        if (ch === delimiter) {
          finish(false);
          state = START;
        } else if (ch === '"') {
          throw new CsvError('quote inside an unquoted field', i);
        } else {
          field += ch;
        }
        break;
      case QUOTED:
        if (ch === '"') {
          state = QUOTE_IN_QUOTED;
        } else {
          field += ch;
        }
        break;
      default: // QUOTE_IN_QUOTED
        if (ch === '"') {
          field += '"';
          state = QUOTED;
        } else if (ch === delimiter) {
          finish(true);
          state = START;
        } else if (trim && ch === ' ') {
          // trailing blanks after a closing quote are allowed when trimming
        } else {
          throw new CsvError(`unexpected ${JSON.stringify(ch)} after a closing quote`, i);
        }
    }
  }
  if (state === QUOTED) {
    throw new CsvError('unterminated quoted field', line.length);
  }
  finish(state === QUOTE_IN_QUOTED);
  return fields;
}

function formatLine(values, { delimiter = ',' } = {}) {
  return values
    .map((value) => {
      const text = value === null || value === undefined ? '' : String(value);
      const needsQuotes = text.includes(delimiter) || text.includes('"') || /^\s|\s$/.test(text);
      return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(delimiter);
}

module.exports = { CsvError, parseLine, formatLine };
