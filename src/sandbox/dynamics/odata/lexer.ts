import { queryError } from '../errors.js';

/** Tokens of an OData `$filter` expression. */
export type Token =
  | { kind: 'punct'; text: '(' | ')' | ',' | '[' | ']' | '='; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; integer: boolean; pos: number }
  | { kind: 'guid'; value: string; pos: number }
  | { kind: 'date'; value: string; dateOnly: boolean; pos: number }
  | { kind: 'ident'; text: string; pos: number };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    if ('(),[]='.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch as '(', pos: i });
      i++;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw queryError(`There is an unterminated string literal at position ${i} in '${text}'.`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: 'string', value, pos: i });
      i = j + 1;
      continue;
    }
    const guid = GUID.exec(rest);
    if (guid && !/[A-Za-z0-9_]/.test(rest[guid[0].length] ?? '')) {
      tokens.push({ kind: 'guid', value: guid[0].toLowerCase(), pos: i });
      i += guid[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ kind: 'date', value: date[0], dateOnly: !date[1], pos: i });
      i += date[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      const literal = num[0].replace(/[mMdDfFlL]$/, '');
      tokens.push({ kind: 'number', value: Number(literal), integer: /^-?\d+$/.test(literal), pos: i });
      i += num[0].length;
      continue;
    }
    const ident = IDENT.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], pos: i });
      i += ident[0].length;
      continue;
    }
    throw queryError(`Syntax error: character '${ch}' is not valid at position ${i} in '${text}'.`);
  }
  return tokens;
}
