import type { Comparator, Condition } from './match.js';

/**
 * Zoho's search criteria: `(Field:operator:value)` groups joined by `and` / `or`,
 * nested in parentheses, e.g. `((Email:equals:a@b.c)or(Phone:equals:123))`.
 * In values, `\(`, `\)` and `\,` escape the syntax characters.
 */
const OPERATORS: Record<string, Comparator> = {
  equals: 'equals',
  not_equal: 'not_equal',
  starts_with: 'starts_with',
  in: 'in',
  not_in: 'not_in',
  greater_than: 'greater_than',
  less_than: 'less_than',
  greater_equal: 'greater_equal',
  less_equal: 'less_equal',
};

export class CriteriaError extends Error {}

export function parseCriteria(text: string): Condition {
  let pos = 0;
  const peek = () => text[pos];

  function group(): Condition {
    if (peek() !== '(') throw new CriteriaError(`expected ( at ${pos}`);
    pos++;
    const inner = peek() === '(' ? expression() : condition();
    if (peek() !== ')') throw new CriteriaError(`expected ) at ${pos}`);
    pos++;
    return inner;
  }

  function expression(): Condition {
    const parts = [group()];
    let joiner: 'and' | 'or' | undefined;
    for (;;) {
      const m = /^\s*(and|or)\s*/i.exec(text.slice(pos));
      if (!m) break;
      const j = m[1]!.toLowerCase() as 'and' | 'or';
      if (joiner && joiner !== j) throw new CriteriaError('mixing and/or needs parentheses');
      joiner = j;
      pos += m[0].length;
      parts.push(group());
    }
    return parts.length === 1 ? parts[0]! : { kind: joiner!, parts };
  }

  function condition(): Condition {
    let raw = '';
    while (pos < text.length && peek() !== ')') {
      if (peek() === '\\' && pos + 1 < text.length) {
        raw += `\\${text[pos + 1]}`;
        pos += 2;
        continue;
      }
      raw += peek();
      pos++;
    }
    const first = raw.indexOf(':');
    const second = raw.indexOf(':', first + 1);
    if (first <= 0 || second < 0) throw new CriteriaError(`malformed condition ${raw}`);
    const field = raw.slice(0, first).trim();
    const op = OPERATORS[raw.slice(first + 1, second).trim()];
    if (!op) throw new CriteriaError(`unknown operator in ${raw}`);
    const rawValue = raw.slice(second + 1);
    const value = op === 'in' || op === 'not_in' ? rawValue.split(/(?<!\\),/).map(unescape) : unescape(rawValue);
    return { kind: 'cmp', field, op, value };
  }

  const result = expression();
  if (pos !== text.length) throw new CriteriaError(`unexpected text at ${pos}`);
  return result;
}

const unescape = (v: string) => v.replace(/\\([(),\\])/g, '$1');

export function fieldsOf(cond: Condition): string[] {
  return cond.kind === 'cmp' ? [cond.field] : cond.parts.flatMap(fieldsOf);
}
