import type { Comparator, Condition } from './match.js';

/**
 * A subset of COQL: `select a, b.c from Module [where ...] [order by x [asc|desc], ...]
 * [limit n [offset m] | limit m, n]`. Where supports =, !=, <>, <, >, <=, >=, like,
 * not like, in, not in, is null, is not null, between, and/or and parentheses.
 */
export interface CoqlQuery {
  fields: string[];
  module: string;
  where?: Condition;
  orderBy: { field: string; desc: boolean }[];
  limit: number;
  offset: number;
}

export class CoqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly clause: string,
  ) {
    super(message);
  }
}

type Token = { type: 'word' | 'string' | 'number' | 'punct'; text: string };
const TOKEN = /\s*(?:('(?:[^'\\]|\\.|'')*')|(-?\d+(?:\.\d+)?)\b|([A-Za-z_$][\w$.]*)|(<=|>=|!=|<>|[=<>(),*]))/y;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(text);
    if (!m) throw new CoqlSyntaxError(`unexpected character near ${text.slice(TOKEN.lastIndex, TOKEN.lastIndex + 10)}`, 'where');
    if (m[1]) out.push({ type: 'string', text: m[1].slice(1, -1).replace(/''|\\'/g, "'") });
    else if (m[2]) out.push({ type: 'number', text: m[2] });
    else if (m[3]) out.push({ type: 'word', text: m[3] });
    else out.push({ type: 'punct', text: m[4]! });
  }
  return out;
}

export const MAX_COQL_LIMIT = 2000;
const RESERVED = new Set(['select', 'from', 'where', 'order', 'by', 'limit', 'offset', 'and', 'or', 'not', 'like', 'in', 'is', 'null', 'between']);

export function parseCoql(text: string): CoqlQuery {
  const tokens = tokenize(text);
  let i = 0;
  const peekWord = (w: string) => tokens[i]?.type === 'word' && tokens[i]!.text.toLowerCase() === w;
  const expectWord = (w: string, clause: string) => {
    if (!peekWord(w)) throw new CoqlSyntaxError(`expected ${w}`, clause);
    i++;
  };
  const ident = (clause: string) => {
    const t = tokens[i++];
    if (t?.type !== 'word' || RESERVED.has(t.text.toLowerCase())) throw new CoqlSyntaxError('expected a field name', clause);
    return t.text;
  };
  const punct = (p: string) => tokens[i]?.type === 'punct' && tokens[i]!.text === p;

  expectWord('select', 'select');
  const fields = [ident('select')];
  while (punct(',')) {
    i++;
    fields.push(ident('select'));
  }
  expectWord('from', 'from');
  const module = ident('from');

  const value = (): unknown => {
    const t = tokens[i++];
    if (!t) throw new CoqlSyntaxError('expected a value', 'where');
    if (t.type === 'string') return t.text;
    if (t.type === 'number') return Number(t.text);
    if (t.type === 'word' && ['true', 'false'].includes(t.text.toLowerCase())) return t.text.toLowerCase() === 'true';
    if (t.type === 'word' && t.text.toLowerCase() === 'null') return null;
    throw new CoqlSyntaxError(`unexpected ${t.text}`, 'where');
  };
  const list = (): unknown[] => {
    if (!punct('(')) throw new CoqlSyntaxError('expected (', 'where');
    i++;
    const values = [value()];
    while (punct(',')) {
      i++;
      values.push(value());
    }
    if (!punct(')')) throw new CoqlSyntaxError('expected )', 'where');
    i++;
    return values;
  };
  const OPS: Record<string, Comparator> = { '=': 'equals', '!=': 'not_equal', '<>': 'not_equal', '<': 'less_than', '>': 'greater_than', '<=': 'less_equal', '>=': 'greater_equal' };

  function primary(): Condition {
    if (punct('(')) {
      i++;
      const inner = disjunction();
      if (!punct(')')) throw new CoqlSyntaxError('expected )', 'where');
      i++;
      return inner;
    }
    const field = ident('where');
    const t = tokens[i];
    if (t?.type === 'punct' && OPS[t.text]) {
      i++;
      return { kind: 'cmp', field, op: OPS[t.text]!, value: value() };
    }
    if (peekWord('like')) return (i++, { kind: 'cmp', field, op: 'like', value: value() });
    if (peekWord('in')) return (i++, { kind: 'cmp', field, op: 'in', value: list() });
    if (peekWord('between')) {
      i++;
      const low = value();
      expectWord('and', 'where');
      const high = value();
      return { kind: 'and', parts: [{ kind: 'cmp', field, op: 'greater_equal', value: low }, { kind: 'cmp', field, op: 'less_equal', value: high }] };
    }
    if (peekWord('not')) {
      i++;
      if (peekWord('like')) return (i++, { kind: 'cmp', field, op: 'not_like', value: value() });
      if (peekWord('in')) return (i++, { kind: 'cmp', field, op: 'not_in', value: list() });
      throw new CoqlSyntaxError('expected like or in after not', 'where');
    }
    if (peekWord('is')) {
      i++;
      const negated = peekWord('not') ? (i++, true) : false;
      expectWord('null', 'where');
      return { kind: 'cmp', field, op: negated ? 'is_not_null' : 'is_null', value: null };
    }
    throw new CoqlSyntaxError(`unknown operator after ${field}`, 'where');
  }
  function conjunction(): Condition {
    const parts = [primary()];
    while (peekWord('and')) {
      i++;
      parts.push(primary());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  }
  function disjunction(): Condition {
    const parts = [conjunction()];
    while (peekWord('or')) {
      i++;
      parts.push(conjunction());
    }
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  let where: Condition | undefined;
  if (peekWord('where')) {
    i++;
    where = disjunction();
  }
  const orderBy: CoqlQuery['orderBy'] = [];
  if (peekWord('order')) {
    i++;
    expectWord('by', 'order by');
    do {
      if (punct(',')) i++;
      const field = ident('order by');
      let desc = false;
      if (peekWord('asc')) i++;
      else if (peekWord('desc')) {
        i++;
        desc = true;
      }
      orderBy.push({ field, desc });
    } while (punct(','));
  }
  let limit = 200;
  let offset = 0;
  if (peekWord('limit')) {
    i++;
    const first = Number(value());
    if (punct(',')) {
      i++;
      offset = first;
      limit = Number(value());
    } else {
      limit = first;
      if (peekWord('offset')) {
        i++;
        offset = Number(value());
      }
    }
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) throw new CoqlSyntaxError('invalid limit or offset', 'limit');
  }
  if (i !== tokens.length) throw new CoqlSyntaxError(`unexpected ${tokens[i]!.text}`, 'where');
  return { fields, module, where, orderBy, limit, offset };
}
