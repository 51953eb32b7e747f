import { restError } from '../errors.js';

/** SOQL tokens with their offsets, so errors can point at the column as Salesforce does. */
export interface Token {
  kind: 'word' | 'string' | 'number' | 'datetime' | 'op' | 'punct' | 'eof';
  text: string;
  pos: number;
}

const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2}))?/;
const NUMBER = /^-?\d+(?:\.\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*(?::\d+)?/;
const OPS = ['!=', '<>', '<=', '>=', '=', '<', '>'];
const LITERALS: [Token['kind'], RegExp][] = [
  ['datetime', DATETIME],
  ['number', NUMBER],
  ['word', WORD],
];

/** The MALFORMED_QUERY / INVALID_FIELD message with the query echoed and a caret under the column. */
export function soqlError(errorCode: string, soql: string, pos: number, detail: string) {
  const before = soql.slice(0, pos).split('\n');
  const row = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  const line = soql.split('\n')[row - 1] ?? '';
  return restError(400, errorCode, `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${detail}`);
}

export const unexpected = (soql: string, token: Token) =>
  soqlError('MALFORMED_QUERY', soql, token.pos, token.kind === 'eof' ? 'unexpected token: <EOF>' : `unexpected token: '${token.text}'`);

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const rest = soql.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      const end = stringEnd(soql, i);
      if (end < 0) throw soqlError('MALFORMED_QUERY', soql, i, 'Unterminated string literal');
      tokens.push({ kind: 'string', text: unescape(soql.slice(i + 1, end)), pos: i });
      i = end + 1;
      continue;
    }
    const matched = LITERALS.map(([kind, re]) => [kind, re.exec(rest)?.[0]] as const).find(([, text]) => text !== undefined);
    if (matched) {
      tokens.push({ kind: matched[0], text: matched[1] as string, pos: i });
      i += (matched[1] as string).length;
      continue;
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      tokens.push({ kind: 'op', text: op, pos: i });
      i += op.length;
      continue;
    }
    if ('(),'.includes(rest[0] as string)) {
      tokens.push({ kind: 'punct', text: rest[0] as string, pos: i });
      i++;
      continue;
    }
    throw soqlError('MALFORMED_QUERY', soql, i, `unexpected token: '${rest[0]}'`);
  }
  tokens.push({ kind: 'eof', text: '', pos: soql.length });
  return tokens;
}

function stringEnd(soql: string, start: number): number {
  for (let j = start + 1; j < soql.length; j++) {
    if (soql[j] === '\\') j++;
    else if (soql[j] === "'") return j;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };

/** Keeps \% and \_ escaped, since they matter only to LIKE. */
function unescape(body: string): string {
  return body.replace(/\\(.)/g, (whole, c: string) => (c === '%' || c === '_' ? whole : (ESCAPES[c] ?? c)));
}
