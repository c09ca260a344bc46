/**
 * Column types for CreateTableV2, checked against PostgreSQL's grammar for type names and
 * written back from the parsed parts, so the text the diagram sends never reaches the SQL as it
 * is: `varchar(255)`, `numeric(10,2)`, `timestamp with time zone`, `double precision`,
 * `interval day to second`, `int[]`, `text array`, `geometry(Point,4326)`, `myschema.mytype` and
 * `"MyType"` are types; anything else is refused. A few column constraints may follow the type,
 * as Python users write them: `not null`, `null`, `primary key`, `unique`, and `default` with a
 * constant (a number, a 'string', true/false/null, current_timestamp/current_date/now() ...).
 */
import { quoteIdentifier } from './identifiers.js';

type Token =
  | { kind: 'word'; value: string }
  | { kind: 'quoted'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'string'; value: string }
  | { kind: 'punct'; value: string };

class TypeSyntaxError extends Error {}

/** The column type as SQL, or why it is not one. */
export function toColumnTypeSql(text: string): { sql: string } | { problem: string } {
  try {
    const parser = new Parser(tokenize(text));
    const sql = [parser.type(), ...parser.constraints()].join(' ');
    return { sql };
  } catch (error) {
    if (error instanceof TypeSyntaxError) return { problem: error.message };
    throw error;
  }
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CONT = /[A-Za-z0-9_$\u0080-\uffff]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] ?? '';
    if (/\s/.test(char)) {
      at += 1;
    } else if (WORD_START.test(char)) {
      const start = at;
      while (at < text.length && WORD_CONT.test(text[at] ?? '')) at += 1;
      tokens.push({ kind: 'word', value: text.slice(start, at).replace(/[A-Z]/g, (c) => c.toLowerCase()) });
    } else if (/\d/.test(char)) {
      const match = /^\d+(?:\.\d*)?/.exec(text.slice(at)) ?? [''];
      tokens.push({ kind: 'number', value: match[0] });
      at += match[0].length;
    } else if (char === '"' || char === "'") {
      const { value, end } = readQuoted(text, at, char);
      if (char === '"' && (value === '' || value.includes('\0'))) throw new TypeSyntaxError('has an empty quoted name');
      tokens.push({ kind: char === '"' ? 'quoted' : 'string', value });
      at = end;
    } else if ('()[],.-+'.includes(char)) {
      tokens.push({ kind: 'punct', value: char });
      at += 1;
    } else {
      throw new TypeSyntaxError(`has ${JSON.stringify(char)}, which is not part of a type`);
    }
  }
  if (tokens.length === 0) throw new TypeSyntaxError('is empty');
  return tokens;
}

/** A "name" or 'string' whose quote is written twice inside; ends after the closing quote. */
function readQuoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = '';
  let at = start + 1;
  for (;;) {
    const end = text.indexOf(quote, at);
    if (end === -1) throw new TypeSyntaxError(`has a ${quote} without its closing ${quote}`);
    value += text.slice(at, end);
    if (text[end + 1] !== quote) return { value, end: end + 1 };
    value += quote;
    at = end + 2;
  }
}

/** Type names that are keywords of PostgreSQL's grammar, each with the words that may follow. */
const INTERVAL_FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second'];
/** `interval <from> to <to>` combinations the grammar allows. */
const INTERVAL_RANGES: Record<string, string[]> = {
  year: ['month'],
  day: ['hour', 'minute', 'second'],
  hour: ['minute', 'second'],
  minute: ['second'],
};
/** Constants a column default may be besides numbers and strings. */
const DEFAULT_WORDS = new Set([
  'true',
  'false',
  'null',
  'current_timestamp',
  'current_date',
  'current_time',
  'localtimestamp',
  'localtime',
  'current_user',
]);
const DEFAULT_FUNCTIONS = new Set(['now', 'gen_random_uuid', 'clock_timestamp', 'statement_timestamp']);

class Parser {
  #at = 0;
  readonly #tokens: Token[];

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  /** One type: a name, its modifiers and array bounds. */
  type(): string {
    const name = this.#baseType();
    return name + this.#arrayBounds();
  }

  /** The column constraints after the type, until the end of the text. */
  constraints(): string[] {
    const found: string[] = [];
    while (this.#peek() !== undefined) {
      if (this.#word('not')) found.push(this.#expectWord('null') && 'not null');
      else if (this.#word('null')) found.push('null');
      else if (this.#word('primary')) found.push(this.#expectWord('key') && 'primary key');
      else if (this.#word('unique')) found.push('unique');
      else if (this.#word('default')) found.push(`default ${this.#constant()}`);
      else this.#fail('where the type ends');
    }
    return found;
  }

  #baseType(): string {
    const first = this.#next();
    if (first === undefined) this.#fail('where a type name should be');
    if (first.kind === 'quoted') return this.#genericType(quoteIdentifier(first.value));
    if (first.kind !== 'word') this.#fail('where a type name should be', first);
    switch (first.value) {
      case 'double':
        this.#expectWord('precision');
        return 'double precision';
      case 'int':
      case 'integer':
      case 'smallint':
      case 'bigint':
      case 'real':
      case 'boolean':
        return first.value;
      case 'float':
        return `float${this.#modifiers(1)}`;
      case 'decimal':
      case 'dec':
      case 'numeric':
        return `${first.value}${this.#modifiers(2)}`;
      case 'bit':
      case 'character':
      case 'char':
      case 'nchar':
        return `${first.value}${this.#word('varying') ? ' varying' : ''}${this.#modifiers(1)}`;
      case 'national': {
        const kind = this.#word('character') ? 'character' : this.#expectWord('char') && 'char';
        return `national ${kind}${this.#word('varying') ? ' varying' : ''}${this.#modifiers(1)}`;
      }
      case 'varchar':
        return `varchar${this.#modifiers(1)}`;
      case 'time':
      case 'timestamp': {
        const precision = this.#modifiers(1);
        const zone = this.#word('with') ? ' with' : this.#word('without') ? ' without' : '';
        if (zone) this.#expectWord('time') && this.#expectWord('zone');
        return `${first.value}${precision}${zone ? `${zone} time zone` : ''}`;
      }
      case 'interval':
        return `interval${this.#intervalFields()}`;
      case 'setof':
        return this.#fail('(setof is not a column type)', first);
      default:
        return this.#genericType(quoteIdentifier(first.value));
    }
  }

  /** A type known by name (text, uuid, jsonb, serial, an enum ...), maybe schema-qualified. */
  #genericType(first: string): string {
    let name = first;
    if (this.#punct('.')) {
      const second = this.#next();
      if (second?.kind !== 'word' && second?.kind !== 'quoted') this.#fail('after "."', second);
      name += `.${quoteIdentifier(second.value)}`;
    }
    if (!this.#punct('(')) return name;
    // Type modifiers: numbers, or names such as PostGIS' geometry(Point, 4326).
    const modifiers: string[] = [];
    do {
      const token = this.#next();
      if (token?.kind === 'word' || token?.kind === 'quoted') modifiers.push(quoteIdentifier(token.value));
      else if (token?.kind === 'number' && /^\d+$/.test(token.value)) modifiers.push(token.value);
      else this.#fail('in the type modifiers', token);
    } while (this.#punct(','));
    this.#expectPunct(')');
    return `${name}(${modifiers.join(',')})`;
  }

  /** `(n)` or `(n, m)` with at most `max` integers; the second may be negative (numeric scale). */
  #modifiers(max: number): string {
    if (!this.#punct('(')) return '';
    const values = [this.#integer(false)];
    while (values.length < max && this.#punct(',')) values.push(this.#integer(true));
    this.#expectPunct(')');
    return `(${values.join(',')})`;
  }

  #intervalFields(): string {
    const field = INTERVAL_FIELDS.find((name) => this.#word(name));
    if (field === undefined) return this.#modifiers(1);
    let text = ` ${field}`;
    let last = field;
    if (this.#word('to')) {
      const to = INTERVAL_RANGES[field]?.find((name) => this.#word(name));
      if (to === undefined) this.#fail(`after "${field} to"`);
      text += ` to ${to}`;
      last = to;
    }
    return last === 'second' ? text + this.#modifiers(1) : text;
  }

  #arrayBounds(): string {
    if (this.#word('array'))
      return this.#punct('[') ? ` array[${this.#integer(false)}${this.#expectPunct(']')}]` : ' array';
    let text = '';
    while (this.#punct('[')) {
      const size = this.#peek()?.kind === 'number' ? this.#integer(false) : '';
      this.#expectPunct(']');
      text += `[${size}]`;
    }
    return text;
  }

  /** A constant for `default`, written back from its parsed value. */
  #constant(): string {
    const sign = this.#punct('-') ? '-' : this.#punct('+') ? '' : '';
    const token = this.#next();
    if (token?.kind === 'number') return sign + token.value;
    if (sign === '' && token?.kind === 'string') return quoteLiteral(token.value);
    if (sign === '' && token?.kind === 'word') {
      if (DEFAULT_WORDS.has(token.value)) return token.value;
      if (DEFAULT_FUNCTIONS.has(token.value) && this.#punct('(')) return `${token.value}(${this.#expectPunct(')')})`;
    }
    return this.#fail('where a default constant should be (a number, a quoted string, true, now() ...)', token);
  }

  #integer(signed: boolean): string {
    const sign = signed && this.#punct('-') ? '-' : '';
    const token = this.#next();
    if (token?.kind !== 'number' || !/^\d+$/.test(token.value)) this.#fail('where a whole number should be', token);
    return sign + token.value;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#at];
  }

  #next(): Token | undefined {
    const token = this.#tokens[this.#at];
    if (token !== undefined) this.#at += 1;
    return token;
  }

  #word(value: string): boolean {
    const token = this.#peek();
    if (token?.kind !== 'word' || token.value !== value) return false;
    this.#at += 1;
    return true;
  }

  #punct(value: string): boolean {
    const token = this.#peek();
    if (token?.kind !== 'punct' || token.value !== value) return false;
    this.#at += 1;
    return true;
  }

  #expectWord(value: string): true {
    if (!this.#word(value)) this.#fail(`where "${value}" should be`);
    return true;
  }

  #expectPunct(value: string): '' {
    if (!this.#punct(value)) this.#fail(`where "${value}" should be`);
    return '';
  }

  #fail(where: string, token: Token | undefined = this.#peek()): never {
    const found = token === undefined ? 'the text ends' : `has ${describeToken(token)}`;
    throw new TypeSyntaxError(`${found} ${where}`);
  }
}

function describeToken(token: Token): string {
  if (token.kind === 'quoted') return `"${token.value}"`;
  if (token.kind === 'string') return `'${token.value}'`;
  return JSON.stringify(token.value);
}

/** A string constant as PostgreSQL's quote_literal writes it, safe whatever standard_conforming_strings is. */
export function quoteLiteral(value: string): string {
  const quoted = `'${value.replaceAll("'", "''")}'`;
  return value.includes('\\') ? `E${quoted.replaceAll('\\', '\\\\')}` : quoted;
}
