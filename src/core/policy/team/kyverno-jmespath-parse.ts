/**
 * The JMESPath grammar (jmespath.org), parsed as the reference implementation
 * (jmespath.js) does: identifiers, quoted identifiers, raw strings and JSON
 * literals, `.`, `[n]`, slices, `[]`/`[*]`/`.*`/`[?…]` projections, multi-select
 * lists and hashes, `|`, `||`, `&&`, `!`, comparisons, functions and `&expr`.
 * Evaluation is in `kyverno-jmespath.ts`.
 */
type TokenType =
  | 'id'
  | 'quoted'
  | 'number'
  | 'literal'
  | '.'
  | '*'
  | '@'
  | '&'
  | '|'
  | '||'
  | '&&'
  | '!'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | '['
  | ']'
  | '[]'
  | '[?'
  | '{'
  | '}'
  | '('
  | ')'
  | ','
  | ':'
  | 'eof';

interface Token {
  type: TokenType;
  value?: unknown;
  start: number;
}

export type JmesNode =
  | { type: 'Field'; name: string }
  | { type: 'Subexpression' | 'IndexExpression' | 'Pipe' | 'Or' | 'And'; left: JmesNode; right: JmesNode }
  | { type: 'Projection' | 'ValueProjection'; left: JmesNode; right: JmesNode }
  | { type: 'FilterProjection'; left: JmesNode; right: JmesNode; condition: JmesNode }
  | { type: 'Comparator'; op: string; left: JmesNode; right: JmesNode }
  | { type: 'Not' | 'Flatten' | 'ExpRef'; child: JmesNode }
  | { type: 'Index'; index: number }
  | { type: 'Slice'; parts: (number | null)[] }
  | { type: 'Literal'; value: unknown }
  | { type: 'Current' | 'Identity' }
  | { type: 'MultiSelectList'; items: JmesNode[] }
  | { type: 'MultiSelectHash'; items: { key: string; value: JmesNode }[] }
  | { type: 'Function'; name: string; args: JmesNode[] };

export class JmesSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}


const BINDING: Partial<Record<TokenType, number>> = { '|': 1, '||': 2, '&&': 3, '==': 5, '!=': 5, '<': 5, '<=': 5, '>': 5, '>=': 5, '[]': 9, '*': 20, '[?': 21, '.': 40, '!': 45, '{': 50, '[': 55, '(': 60 };
const bp = (t: TokenType): number => BINDING[t] ?? 0;

const SIMPLE: Record<string, TokenType> = { '.': '.', '*': '*', '@': '@', ']': ']', '{': '{', '}': '}', '(': '(', ')': ')', ',': ',', ':': ':' };

function readDelimited(text: string, start: number, quote: string): { raw: string; end: number } {
  let i = start + 1;
  while (i < text.length && text[i] !== quote) i += text[i] === '\\' ? 2 : 1;
  if (i >= text.length) throw new JmesSyntaxError(`unterminated ${quote === '`' ? 'literal' : 'string'}`, start);
  return { raw: text.slice(start + 1, i), end: i + 1 };
}

/** Two-character operators first, then one-character ones. */
function operatorAt(text: string, i: number): { type: TokenType; length: number } | undefined {
  const two = text.slice(i, i + 2);
  if (two === '[]' || two === '[?' || two === '||' || two === '&&' || two === '==' || two === '!=' || two === '<=' || two === '>=') return { type: two, length: 2 };
  const one = text[i] ?? '';
  if (one === '[' || one === '|' || one === '&' || one === '!' || one === '<' || one === '>') return { type: one, length: 1 };
  const simple = SIMPLE[one];
  return simple ? { type: simple, length: 1 } : undefined;
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    const num = /^-?\d+/.exec(text.slice(i));
    if (id) {
      out.push({ type: 'id', value: id[0], start: i });
      i += id[0].length;
    } else if (num) {
      out.push({ type: 'number', value: Number(num[0]), start: i });
      i += num[0].length;
    } else if (c === '"') {
      const { raw, end } = readDelimited(text, i, '"');
      out.push({ type: 'quoted', value: parseJson(`"${raw}"`, i), start: i });
      i = end;
    } else if (c === "'") {
      const { raw, end } = readDelimited(text, i, "'");
      out.push({ type: 'literal', value: raw.replace(/\\'/g, "'"), start: i });
      i = end;
    } else if (c === '`') {
      const { raw, end } = readDelimited(text, i, '`');
      out.push({ type: 'literal', value: parseJson(raw.replace(/\\`/g, '`').trim(), i), start: i });
      i = end;
    } else {
      const op = operatorAt(text, i);
      if (!op) throw new JmesSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
      out.push({ type: op.type, start: i });
      i += op.length;
    }
  }
  out.push({ type: 'eof', start: text.length });
  return out;
}

function parseJson(text: string, offset: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new JmesSyntaxError(`invalid JSON literal ${text}`, offset);
  }
}

const IDENTITY: JmesNode = { type: 'Identity' };

/** A Pratt parser, in the shape of the reference implementation (jmespath.js). */
class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): JmesNode {
    const node = this.expression(0);
    if (this.peek().type !== 'eof') this.fail(`unexpected ${this.peek().type}`);
    return node;
  }

  private peek(n = 0): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    this.i++;
    return t;
  }

  private fail(message: string): never {
    throw new JmesSyntaxError(message, this.peek().start);
  }

  private expect(type: TokenType): Token {
    if (this.peek().type !== type) this.fail(`expected ${type}, found ${this.peek().type}`);
    return this.next();
  }

  private expression(rbp: number): JmesNode {
    let left = this.nud(this.next());
    while (rbp < bp(this.peek().type)) left = this.led(this.next(), left);
    return left;
  }

  private nud(t: Token): JmesNode {
    switch (t.type) {
      case 'literal':
        return { type: 'Literal', value: t.value };
      case 'id':
        return { type: 'Field', name: t.value as string };
      case 'quoted':
        if (this.peek().type === '(') this.fail('a quoted identifier cannot name a function');
        return { type: 'Field', name: t.value as string };
      case '!':
        return { type: 'Not', child: this.expression(bp('!')) };
      case '*':
        return { type: 'ValueProjection', left: IDENTITY, right: this.peek().type === ']' ? IDENTITY : this.projectionRhs(bp('*')) };
      case '[?':
        return this.led(t, IDENTITY);
      case '{':
        return this.multiSelectHash();
      case '[]':
        return { type: 'Projection', left: { type: 'Flatten', child: IDENTITY }, right: this.projectionRhs(bp('[]')) };
      case '[':
        return this.bracket(IDENTITY);
      case '@':
        return { type: 'Current' };
      case '&':
        return { type: 'ExpRef', child: this.expression(bp('&')) };
      case '(': {
        const inner = this.expression(0);
        this.expect(')');
        return inner;
      }
      default:
        return this.fail(`unexpected ${t.type}`);
    }
  }

  private led(t: Token, left: JmesNode): JmesNode {
    switch (t.type) {
      case '.':
        if (this.peek().type === '*') {
          this.next();
          return { type: 'ValueProjection', left, right: this.projectionRhs(bp('.')) };
        }
        return { type: 'Subexpression', left, right: this.dotRhs(bp('.')) };
      case '|':
        return { type: 'Pipe', left, right: this.expression(bp('|')) };
      case '||':
        return { type: 'Or', left, right: this.expression(bp('||')) };
      case '&&':
        return { type: 'And', left, right: this.expression(bp('&&')) };
      case '(':
        return this.functionCall(left);
      case '[?': {
        const condition = this.expression(0);
        this.expect(']');
        const right = this.peek().type === '[]' ? IDENTITY : this.projectionRhs(bp('[?'));
        return { type: 'FilterProjection', left, right, condition };
      }
      case '[]':
        return { type: 'Projection', left: { type: 'Flatten', child: left }, right: this.projectionRhs(bp('[]')) };
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return { type: 'Comparator', op: t.type, left, right: this.expression(bp(t.type)) };
      case '[':
        return this.bracket(left);
      default:
        return this.fail(`unexpected ${t.type}`);
    }
  }

  private functionCall(left: JmesNode): JmesNode {
    if (left.type !== 'Field') this.fail('only a name can be called');
    const args: JmesNode[] = [];
    while (this.peek().type !== ')') {
      args.push(this.expression(0));
      if (this.peek().type === ',') this.next();
      else if (this.peek().type !== ')') this.fail('expected , or )');
    }
    this.expect(')');
    return { type: 'Function', name: left.name, args };
  }

  /** After `[`: an index, a slice, `[*]`, or (at the start) a multi-select list. */
  private bracket(left: JmesNode): JmesNode {
    const a = this.peek().type;
    if (a === 'number' || a === ':') return this.indexOrSlice(left);
    if (a === '*' && this.peek(1).type === ']') {
      this.next();
      this.next();
      return { type: 'Projection', left, right: this.projectionRhs(bp('*')) };
    }
    if (left !== IDENTITY) this.fail('expected an index, a slice or *');
    return this.multiSelectList();
  }

  private indexOrSlice(left: JmesNode): JmesNode {
    if (this.peek().type === ':' || this.peek(1).type === ':') {
      const parts: (number | null)[] = [null, null, null];
      let at = 0;
      while (this.peek().type !== ']') {
        const t = this.next();
        if (t.type === ':') at++;
        else if (t.type === 'number' && at < 3) parts[at] = t.value as number;
        else this.fail('invalid slice');
        if (at > 2) this.fail('too many colons in slice');
      }
      this.expect(']');
      const indexed: JmesNode = { type: 'IndexExpression', left, right: { type: 'Slice', parts } };
      return { type: 'Projection', left: indexed, right: this.projectionRhs(bp('*')) };
    }
    const index = this.expect('number').value as number;
    this.expect(']');
    return { type: 'IndexExpression', left, right: { type: 'Index', index } };
  }

  private projectionRhs(rbp: number): JmesNode {
    const t = this.peek().type;
    if (bp(t) < 10) return IDENTITY;
    if (t === '[' || t === '[?') return this.expression(rbp);
    if (t === '.') {
      this.next();
      return this.dotRhs(rbp);
    }
    return this.fail(`unexpected ${t} after a projection`);
  }

  private dotRhs(rbp: number): JmesNode {
    const t = this.peek().type;
    if (t === 'id' || t === 'quoted' || t === '*') return this.expression(rbp);
    if (t === '[') {
      this.next();
      return this.multiSelectList();
    }
    if (t === '{') {
      this.next();
      return this.multiSelectHash();
    }
    return this.fail(`unexpected ${t} after .`);
  }

  private multiSelectList(): JmesNode {
    const items: JmesNode[] = [this.expression(0)];
    while (this.peek().type === ',') {
      this.next();
      items.push(this.expression(0));
    }
    this.expect(']');
    return { type: 'MultiSelectList', items };
  }

  private multiSelectHash(): JmesNode {
    const items: { key: string; value: JmesNode }[] = [];
    for (;;) {
      const key = this.next();
      if (key.type !== 'id' && key.type !== 'quoted') this.fail('expected a key');
      this.expect(':');
      items.push({ key: key.value as string, value: this.expression(0) });
      if (this.peek().type !== ',') break;
      this.next();
    }
    this.expect('}');
    return { type: 'MultiSelectHash', items };
  }
}

const parsed = new Map<string, JmesNode>();

/** Parses an expression (cached); throws `JmesSyntaxError` with the offset of the problem. */
export function parseJmesPath(text: string): JmesNode {
  let node = parsed.get(text);
  if (!node) {
    node = new Parser(tokenize(text)).parse();
    if (parsed.size > 5_000) parsed.clear();
    parsed.set(text, node);
  }
  return node;
}
