// The dashboard's questions asked of PostgreSQL: the query builders
// (dashboard/src/data/queries/*.ts) write DuckDB SQL with `?` placeholders over
// tables named like the marts; this renders the same question for
// PostgreSQL 15+, as a BI tool asking the mart views live would. Pure text
// rewriting of the few DuckDB-only constructs the builders use, each named
// below; anything else DuckDB-only makes it throw rather than send a query
// that means something else.
//
//   ?                          → $1, $2, …  (outside string literals)
//   ::DOUBLE, as DOUBLE        → float8
//   [a, b] (list literal)      → array[a, b];  list_position → array_position
//   arg_max_null(x, m)         → (array_agg(x order by m desc nulls last))[1]
//                                (x of the latest m, null x included, as arg_max_null)
//   any_value(x)               → min(x)  (PostgreSQL 15 has no any_value; the builders
//                                use it on values equal within the group)
//   strftime(d, '%Y-%m-%d')    → to_char(d, 'YYYY-MM-DD')
//   date_diff('month', a, b)   → whole months from a to b (month starts)
//   last_day(d)                → the month's last day;  day(d), year(d), quarter(d) → extract(…)
//
// Each mart a question reads becomes a CTE over mart.<name> with the small-cell
// suppression the extract applies (etl/extract/mart-query.ts planExtract), so
// both sides answer from the same cells; NOT MATERIALIZED, so each reference
// is inlined like a reference to the view itself (predicates pushed down).

import type { BuiltQuery } from '../../dashboard/src/data/api.ts';

export interface PgQuery {
  text: string;
  values: (string | number | boolean | null)[];
}

/** DuckDB functions the builders might use that have no rewrite here: refused, not sent. */
const UNSUPPORTED = ['arg_max', 'arg_min', 'list_', 'struct_', 'epoch_ms', 'date_part', 'datediff', 'regexp_matches', 'string_agg', 'first(', 'last(', 'count_if', 'strptime', 'make_date'];

/** `?` placeholders → `$n`, skipping quoted text ('…' and "…"). */
export function numberPlaceholders(sql: string): { text: string; count: number } {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      out += c;
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} in SQL: ${sql.slice(0, 200)}`);
  return { text: out, count: n };
}

/** Index of the parenthesis closing the one at `open`, skipping quoted text. */
function closingParen(sql: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parentheses in SQL: ${sql.slice(open, open + 200)}`);
}

/** Top-level comma-separated arguments of a call's inner text. */
function splitArgs(inner: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      args.push(inner.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(inner.slice(start).trim());
  return args;
}

/**
 * Rewrites every call `name(args)` (a whole word, case-insensitive), innermost
 * arguments first, with `render(args)`.
 */
function rewriteCalls(sql: string, name: string, arity: number, render: (args: string[]) => string): string {
  const re = new RegExp(`(?<![\\w.])${name}\\s*\\(`, 'i');
  let out = sql;
  for (let guard = 0; guard < 1000; guard++) {
    const m = re.exec(out);
    if (!m) return out;
    const open = m.index + m[0].length - 1;
    const close = closingParen(out, open);
    const args = splitArgs(out.slice(open + 1, close)).map((a) => rewriteCalls(a, name, arity, render));
    if (args.length !== arity) throw new Error(`${name}() with ${args.length} arguments, expected ${arity}: ${out.slice(m.index, close + 1)}`);
    out = out.slice(0, m.index) + render(args) + out.slice(close + 1);
  }
  throw new Error(`too many ${name}() calls`);
}

const monthIndex = (d: string) => `(extract(year from ${d}) * 12 + extract(month from ${d}))`;

/** The DuckDB SQL of a builder as PostgreSQL SQL (same placeholders order, `$n`). */
export function toPostgresSql(duckSql: string): string {
  let s = duckSql;
  s = s.replace(/(::|\bas\s+)DOUBLE\b/g, '$1float8');
  // List literals: a '[' opening an expression (after '(', ',' or whitespace), never a subscript.
  s = s.replace(/(?<=[(,\s])\[/g, 'array[');
  s = s.replace(/\blist_position\s*\(/g, 'array_position(');
  s = rewriteCalls(s, 'arg_max_null', 2, ([x, m]) => `(array_agg(${x} order by ${m} desc nulls last))[1]`);
  s = rewriteCalls(s, 'any_value', 1, ([x]) => `min(${x})`);
  s = rewriteCalls(s, 'strftime', 2, ([d, f]) => {
    if (f !== "'%Y-%m-%d'") throw new Error(`strftime format ${f} has no PostgreSQL rendering here`);
    return `to_char(${d}, 'YYYY-MM-DD')`;
  });
  s = rewriteCalls(s, 'date_diff', 3, ([part, a, b]) => {
    if (part !== "'month'") throw new Error(`date_diff(${part}, …) has no PostgreSQL rendering here`);
    return `(${monthIndex(b!)} - ${monthIndex(a!)})::integer`;
  });
  s = rewriteCalls(s, 'last_day', 1, ([d]) => `(date_trunc('month', ${d}) + interval '1 month - 1 day')::date`);
  for (const part of ['day', 'year', 'quarter']) s = rewriteCalls(s, part, 1, ([d]) => `extract(${part} from ${d})::integer`);
  const lower = s.toLowerCase();
  for (const f of UNSUPPORTED) {
    const i = lower.search(new RegExp(`(?<![\\w.])${f.replace('(', '\\s*\\(')}`));
    if (i >= 0) throw new Error(`DuckDB construct "${f}" has no PostgreSQL rendering in bench/queries/pg-dialect.ts: ${s.slice(i, i + 80)}`);
  }
  return numberPlaceholders(s).text;
}

/** Per mart: the SQL of its suppressed rows (planExtract's, without the ORDER BY an extract file needs). */
export type MartSources = ReadonlyMap<string, string>;

/**
 * A builder's question for PostgreSQL: its marts as CTEs (the suppressed mart
 * rows), then the question itself. A builder's own WITH list is joined to ours.
 */
export function pgQuestion(query: BuiltQuery, marts: MartSources): PgQuery {
  const ctes = query.extracts.map((name) => {
    const source = marts.get(name);
    if (!source) throw new Error(`no PostgreSQL source for extract "${name}" (a mart the question reads)`);
    return `"${name}" as not materialized (${source})`;
  });
  const body = toPostgresSql(query.sql).trim();
  const text = /^with\s/i.test(body) ? `with ${ctes.join(',\n')},\n${body.replace(/^with\s+/i, '')}` : `with ${ctes.join(',\n')}\n${body}`;
  const count = numberPlaceholders(query.sql).count;
  if (count !== query.params.length) throw new Error(`${count} placeholders but ${query.params.length} parameters: ${query.sql.slice(0, 200)}`);
  return { text, values: [...query.params] };
}
