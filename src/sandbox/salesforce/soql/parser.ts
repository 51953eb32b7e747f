import { soqlError, tokenize, unexpected, type Token } from './lexer.js';

/**
 * A subset of SOQL: SELECT fields (dotted relationship paths, COUNT(), FIELDS(...))
 * FROM one object, WHERE with comparisons, LIKE, IN / NOT IN, NOT, AND / OR and
 * parentheses (mixing AND and OR without parentheses is refused, as Salesforce does),
 * ORDER BY with NULLS FIRST/LAST, LIMIT and OFFSET.
 */
export interface FieldPath {
  parts: string[];
  pos: number;
}

export type SelectItem = { kind: 'field'; path: FieldPath } | { kind: 'fields'; which: 'ALL' | 'STANDARD' | 'CUSTOM'; pos: number };

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; text: string }
  | { kind: 'dateLiteral'; name: string; n?: number };

export type Condition =
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; path: FieldPath; op: string; value: Literal }
  | { kind: 'like'; path: FieldPath; pattern: string }
  | { kind: 'in'; path: FieldPath; negated: boolean; values: Literal[] };

export interface OrderItem {
  path: FieldPath;
  descending: boolean;
  nullsLast: boolean;
}

export interface SoqlQuery {
  text: string;
  count: boolean;
  select: SelectItem[];
  from: string;
  fromPos: number;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

const DATE_LITERALS = ['TODAY', 'YESTERDAY', 'TOMORROW', 'THIS_WEEK', 'LAST_WEEK', 'NEXT_WEEK', 'THIS_MONTH', 'LAST_MONTH', 'NEXT_MONTH', 'THIS_YEAR', 'LAST_YEAR', 'NEXT_YEAR'];
const N_DATE_LITERALS = ['LAST_N_DAYS', 'NEXT_N_DAYS'];

export function parseSoql(text: string): SoqlQuery {
  return new Parser(text).query();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  query(): SoqlQuery {
    this.keyword('SELECT');
    const { select, count } = this.selectList();
    this.keyword('FROM');
    const from = this.expect('word');
    const q: SoqlQuery = { text: this.text, count, select, from: from.text, fromPos: from.pos, orderBy: [] };
    if (this.accept('WHERE')) q.where = this.condition();
    if (this.accept('ORDER')) {
      this.keyword('BY');
      do q.orderBy.push(this.orderItem());
      while (this.acceptPunct(','));
    }
    if (this.accept('LIMIT')) q.limit = this.integer();
    if (this.accept('OFFSET')) q.offset = this.integer();
    if (this.peek().kind !== 'eof') throw unexpected(this.text, this.peek());
    return q;
  }

  private selectList(): { select: SelectItem[]; count: boolean } {
    const first = this.peek();
    if (this.isWord(first, 'COUNT') && this.tokens[this.i + 1]?.text === '(') {
      this.i += 2;
      this.punct(')');
      return { select: [], count: true };
    }
    const select: SelectItem[] = [];
    do {
      const t = this.expect('word');
      if (this.isWord(t, 'FIELDS') && this.acceptPunct('(')) {
        const which = this.expect('word');
        const upper = which.text.toUpperCase();
        if (upper !== 'ALL' && upper !== 'STANDARD' && upper !== 'CUSTOM') throw unexpected(this.text, which);
        this.punct(')');
        select.push({ kind: 'fields', which: upper, pos: t.pos });
      } else {
        select.push({ kind: 'field', path: { parts: t.text.split('.'), pos: t.pos } });
      }
    } while (this.acceptPunct(','));
    return { select, count: false };
  }

  /** OR of ANDs, refusing a mix at one level without parentheses. */
  private condition(): Condition {
    const first = this.unary();
    const joiner = this.peek();
    if (!this.isWord(joiner, 'AND') && !this.isWord(joiner, 'OR')) return first;
    const kind = joiner.text.toUpperCase() === 'AND' ? 'and' : 'or';
    const items = [first];
    for (;;) {
      const t = this.peek();
      if (this.isWord(t, kind)) {
        this.i++;
        items.push(this.unary());
      } else if (this.isWord(t, kind === 'and' ? 'OR' : 'AND')) {
        throw unexpected(this.text, t);
      } else {
        return { kind, items };
      }
    }
  }

  private unary(): Condition {
    if (this.accept('NOT')) return { kind: 'not', item: this.unary() };
    if (this.acceptPunct('(')) {
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    const t = this.expect('word');
    const path = { parts: t.text.split('.'), pos: t.pos };
    if (this.accept('LIKE')) return { kind: 'like', path, pattern: this.expect('string').text };
    const negated = this.accept('NOT');
    if (negated || this.isWord(this.peek(), 'IN')) {
      this.keyword('IN');
      this.punct('(');
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.acceptPunct(','));
      this.punct(')');
      return { kind: 'in', path, negated, values };
    }
    const op = this.expect('op');
    return { kind: 'compare', path, op: op.text === '<>' ? '!=' : op.text, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', value: t.text };
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text) };
    if (t.kind === 'datetime') return { kind: 'datetime', text: t.text };
    if (t.kind === 'word') {
      const upper = t.text.toUpperCase();
      if (upper === 'NULL') return { kind: 'null' };
      if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
      if (DATE_LITERALS.includes(upper)) return { kind: 'dateLiteral', name: upper };
      const [name, n] = upper.split(':');
      if (name && n && N_DATE_LITERALS.includes(name)) return { kind: 'dateLiteral', name, n: Number(n) };
    }
    throw unexpected(this.text, t);
  }

  private orderItem(): OrderItem {
    const t = this.expect('word');
    const descending = this.accept('DESC');
    if (!descending) this.accept('ASC');
    let nullsLast = descending;
    if (this.accept('NULLS')) {
      const which = this.expect('word');
      if (!this.isWord(which, 'FIRST') && !this.isWord(which, 'LAST')) throw unexpected(this.text, which);
      nullsLast = this.isWord(which, 'LAST');
    }
    return { path: { parts: t.text.split('.'), pos: t.pos }, descending, nullsLast };
  }

  private integer(): number {
    const t = this.expect('number');
    const n = Number(t.text);
    if (!Number.isInteger(n) || n < 0) throw soqlError('MALFORMED_QUERY', this.text, t.pos, `unexpected token: '${t.text}'`);
    return n;
  }

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && t.text.toUpperCase() === word.toUpperCase();
  }

  private accept(word: string): boolean {
    if (!this.isWord(this.peek(), word)) return false;
    this.i++;
    return true;
  }

  private keyword(word: string): void {
    if (!this.accept(word)) throw unexpected(this.text, this.peek());
  }

  private acceptPunct(p: string): boolean {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) return false;
    this.i++;
    return true;
  }

  private punct(p: string): void {
    if (!this.acceptPunct(p)) throw unexpected(this.text, this.peek());
  }

  private expect(kind: Token['kind']): Token {
    const t = this.peek();
    if (t.kind !== kind) throw unexpected(this.text, t);
    this.i++;
    return t;
  }
}
