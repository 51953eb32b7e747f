import { queryError } from '../errors.js';
import { tokenize, type Token } from './lexer.js';

/**
 * OData `$filter` as Dataverse answers it: eq ne gt ge lt le, and/or/not, parentheses,
 * contains/startswith/endswith, null, GUIDs, dates, strings with '' escaping, and the
 * Microsoft.Dynamics.CRM.In / NotIn query functions. String comparisons ignore case,
 * as SQL Server's collation does.
 */
export type Literal = { edm: string; value: string | number | boolean | null };
type Operand = { kind: 'prop'; name: string; pos: number } | { kind: 'lit'; lit: Literal };
export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'cmp'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'text'; fn: 'contains' | 'startswith' | 'endswith'; prop: Operand; value: Operand }
  | { kind: 'in'; negate: boolean; prop: string; values: Literal[] }
  | { kind: 'bool'; operand: Operand };

type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const OPS: Record<CompareOp, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

/** Resolves a property name to its Edm type; throws the "Could not find a property" error when unknown. */
export type PropertyTypes = (name: string) => string;
/** Reads a property of one row. */
export type PropertyValues = (name: string) => string | number | boolean | null;

export function parseFilter(text: string, types: PropertyTypes): FilterExpr {
  const parser = new FilterParser(text, tokenize(text), types);
  const expr = parser.parseOr();
  parser.expectEnd();
  return expr;
}

class FilterParser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly types: PropertyTypes,
  ) {}

  parseOr(): FilterExpr {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.i++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  expectEnd(): void {
    const t = this.tokens[this.i];
    if (t) throw queryError(`Syntax error at position ${t.pos} in '${this.text}'.`);
  }

  private parseAnd(): FilterExpr {
    let left = this.parseUnary();
    while (this.isWord('and')) {
      this.i++;
      left = { kind: 'and', left, right: this.parseUnary() };
    }
    return left;
  }

  private parseUnary(): FilterExpr {
    if (this.isWord('not')) {
      this.i++;
      return { kind: 'not', expr: this.parseUnary() };
    }
    if (this.isPunct('(')) {
      this.i++;
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    const fn = this.tryFunction();
    if (fn) return fn;
    const left = this.parseOperand();
    const t = this.tokens[this.i];
    if (t?.kind === 'ident' && t.text in OPS) {
      this.i++;
      const right = this.parseOperand();
      const op = t.text as CompareOp;
      this.checkComparable(left, right, op);
      return { kind: 'cmp', op, left, right };
    }
    if (this.edmOf(left) !== 'Edm.Boolean') {
      throw queryError(`The $filter expression must evaluate to a single boolean value.`);
    }
    return { kind: 'bool', operand: left };
  }

  private tryFunction(): FilterExpr | undefined {
    const t = this.tokens[this.i];
    const next = this.tokens[this.i + 1];
    if (t?.kind !== 'ident' || next?.kind !== 'punct' || next.text !== '(') return undefined;
    const name = t.text;
    this.i += 2;
    if (name === 'contains' || name === 'startswith' || name === 'endswith') {
      const prop = this.parseOperand();
      this.expectPunct(',');
      const value = this.parseOperand();
      this.expectPunct(')');
      if (this.edmOf(prop) !== 'Edm.String' || this.edmOf(value) !== 'Edm.String') {
        throw queryError(
          `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
        );
      }
      return { kind: 'text', fn: name, prop, value };
    }
    if (name === 'Microsoft.Dynamics.CRM.In' || name === 'Microsoft.Dynamics.CRM.NotIn') return this.parseIn(name.endsWith('NotIn'));
    throw queryError(`An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`);
  }

  /** `Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=['a','b'])` */
  private parseIn(negate: boolean): FilterExpr {
    let prop: string | undefined;
    let values: Literal[] = [];
    for (;;) {
      const name = this.tokens[this.i];
      if (name?.kind !== 'ident') throw this.syntaxError();
      this.i++;
      this.expectPunct('=');
      if (name.text === 'PropertyName') {
        const v = this.tokens[this.i++];
        if (v?.kind !== 'string') throw this.syntaxError();
        prop = v.value;
      } else if (name.text === 'PropertyValues') {
        this.expectPunct('[');
        values = [];
        while (!this.isPunct(']')) {
          const lit = this.parseOperand();
          if (lit.kind !== 'lit') throw this.syntaxError();
          values.push(lit.lit);
          if (this.isPunct(',')) this.i++;
        }
        this.i++;
      } else throw queryError(`Parameter '${name.text}' is not a parameter of the function.`);
      if (this.isPunct(',')) {
        this.i++;
        continue;
      }
      this.expectPunct(')');
      break;
    }
    if (!prop) throw queryError(`The PropertyName parameter is required.`);
    this.types(prop);
    return { kind: 'in', negate, prop, values };
  }

  private parseOperand(): Operand {
    const t = this.tokens[this.i];
    if (!t) throw queryError(`Expression expected at position ${this.text.length} in '${this.text}'.`);
    this.i++;
    switch (t.kind) {
      case 'string':
        return { kind: 'lit', lit: { edm: 'Edm.String', value: t.value } };
      case 'number':
        return { kind: 'lit', lit: { edm: t.integer ? (Math.abs(t.value) > 2147483647 ? 'Edm.Int64' : 'Edm.Int32') : 'Edm.Decimal', value: t.value } };
      case 'guid':
        return { kind: 'lit', lit: { edm: 'Edm.Guid', value: t.value } };
      case 'date':
        return { kind: 'lit', lit: { edm: t.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset', value: t.value } };
      case 'ident':
        if (t.text === 'null') return { kind: 'lit', lit: { edm: 'null', value: null } };
        if (t.text === 'true' || t.text === 'false') return { kind: 'lit', lit: { edm: 'Edm.Boolean', value: t.text === 'true' } };
        if (t.text in OPS || t.text === 'and' || t.text === 'or' || t.text === 'not') {
          throw queryError(`Expression expected at position ${t.pos} in '${this.text}'.`);
        }
        this.types(t.text);
        return { kind: 'prop', name: t.text, pos: t.pos };
      default:
        throw queryError(`Expression expected at position ${t.pos} in '${this.text}'.`);
    }
  }

  private edmOf(o: Operand): string {
    return o.kind === 'lit' ? o.lit.edm : this.types(o.name);
  }

  private checkComparable(left: Operand, right: Operand, op: CompareOp): void {
    const a = this.edmOf(left);
    const b = this.edmOf(right);
    if (a === 'null' || b === 'null' || family(a) === family(b)) return;
    throw queryError(`A binary operator with incompatible types was detected. Found operand types '${a}' and '${b}' for operator kind '${OPS[op]}'.`);
  }

  private syntaxError() {
    const t = this.tokens[this.i];
    return queryError(`Syntax error at position ${t ? t.pos : this.text.length} in '${this.text}'.`);
  }

  private isWord(word: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === 'ident' && t.text === word;
  }

  private isPunct(p: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === 'punct' && t.text === p;
  }

  private expectPunct(p: string): void {
    if (!this.isPunct(p)) {
      const t = this.tokens[this.i];
      throw queryError(`'${p}' expected at position ${t ? t.pos : this.text.length} in '${this.text}'.`);
    }
    this.i++;
  }
}

function family(edm: string): string {
  if (edm === 'Edm.Int32' || edm === 'Edm.Int64' || edm === 'Edm.Decimal' || edm === 'Edm.Double') return 'number';
  if (edm === 'Edm.Date' || edm === 'Edm.DateTimeOffset') return 'date';
  return edm;
}

export function matches(expr: FilterExpr, row: PropertyValues): boolean {
  switch (expr.kind) {
    case 'and':
      return matches(expr.left, row) && matches(expr.right, row);
    case 'or':
      return matches(expr.left, row) || matches(expr.right, row);
    case 'not':
      return !matches(expr.expr, row);
    case 'bool':
      return valueOf(expr.operand, row) === true;
    case 'text': {
      const v = valueOf(expr.prop, row);
      const needle = valueOf(expr.value, row);
      if (typeof v !== 'string' || typeof needle !== 'string') return false;
      const hay = v.toLowerCase();
      const n = needle.toLowerCase();
      return expr.fn === 'contains' ? hay.includes(n) : expr.fn === 'startswith' ? hay.startsWith(n) : hay.endsWith(n);
    }
    case 'in': {
      const v = row(expr.prop);
      const found = expr.values.some((lit) => compare(v, lit.value) === 0);
      return expr.negate ? !found : found;
    }
    case 'cmp': {
      const a = valueOf(expr.left, row);
      const b = valueOf(expr.right, row);
      if (a === null || b === null) {
        if (expr.op === 'eq') return a === b;
        if (expr.op === 'ne') return a !== b;
        return false;
      }
      const c = compare(a, b);
      return { eq: c === 0, ne: c !== 0, gt: c > 0, ge: c >= 0, lt: c < 0, le: c <= 0 }[expr.op];
    }
  }
}

function valueOf(o: Operand, row: PropertyValues): string | number | boolean | null {
  return o.kind === 'lit' ? o.lit.value : row(o.name);
}

/** Orders two non-null values of one family; strings and GUIDs case-insensitively, dates by instant. */
export function compare(a: string | number | boolean | null, b: string | number | boolean | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  if (/^\d{4}-\d{2}-\d{2}/.test(sa) && /^\d{4}-\d{2}-\d{2}/.test(sb)) return Date.parse(sa) - Date.parse(sb);
  const la = sa.toLowerCase();
  const lb = sb.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}
