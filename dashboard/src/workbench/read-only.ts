// Which workbench statements may run (pure). The workbench shares the page's
// DuckDB with every view: a DROP, CREATE OR REPLACE, INSERT or ATTACH would
// take a view's table away or change it under it, and SET or PRAGMA would change
// the connection for everyone (e.g. turn extension autoloading back on, which
// reaches the internet: stack-notes.md). So one statement, of a reading kind:
// SELECT, WITH … SELECT, FROM-first SELECT, VALUES, DESCRIBE, SHOW, SUMMARIZE,
// EXPLAIN. Besides the first word, no word of a writing or session command may
// appear outside strings, quoted names and comments (WITH … INSERT, EXPLAIN
// ANALYZE DELETE), and no file or URL may be read: the browser's DuckDB reads
// http(s) URLs by itself, and the page must not reach the network.

export type ReadOnlyCheck = { ok: true; sql: string } | { ok: false; reason: 'empty' | 'multiple' | 'kind' | 'keyword' | 'file'; word?: string };

const READING_STARTS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'DESCRIBE', 'DESC', 'SHOW', 'SUMMARIZE', 'EXPLAIN', 'TABLE']);

/** Words of statements that change data, schema, settings or the session, or reach files. */
const FORBIDDEN = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'TRUNCATE', 'CREATE', 'DROP', 'ALTER', 'RENAME', 'COMMENT',
  'ATTACH', 'DETACH', 'USE', 'COPY', 'EXPORT', 'IMPORT', 'INSTALL', 'LOAD', 'FORCE', 'SET', 'RESET', 'PRAGMA', 'CALL',
  'CHECKPOINT', 'VACUUM', 'ANALYZE_DATABASE', 'BEGIN', 'COMMIT', 'ROLLBACK', 'ABORT', 'START', 'TRANSACTION', 'PREPARE',
  'EXECUTE', 'DEALLOCATE', 'GRANT', 'REVOKE', 'SECRET',
]);

/** Table functions that read files or URLs (DuckDB's readers and file listings). */
const FILE_FUNCTION = /^(read_\w+|\w+_scan|parquet_\w+|glob|sniff_csv|iceberg_\w+|delta_\w+)$/i;

interface Token {
  kind: 'word' | 'string' | 'quoted' | 'semicolon' | 'other';
  text: string;
}

/** Words, string literals, quoted names and semicolons; comments dropped. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "'" || c === '"') {
      // Doubled quotes escape; an unterminated literal runs to the end (DuckDB then refuses it).
      let j = i + 1;
      let text = '';
      while (j < n) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) {
            text += c;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j];
        j++;
      }
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', text });
      i = j + 1;
    } else if (c === '$' && /[A-Za-z_$]/.test(sql[i + 1] ?? '')) {
      // Dollar-quoted string: $tag$ … $tag$ (or $$ … $$).
      const m = /^\$([A-Za-z_]\w*)?\$/.exec(sql.slice(i));
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        tokens.push({ kind: 'string', text: sql.slice(i + m[0].length, end < 0 ? n : end) });
        i = end < 0 ? n : end + m[0].length;
      } else {
        tokens.push({ kind: 'other', text: c });
        i++;
      }
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$\u0080-\uffff]/.test(sql[j]!)) j++;
      tokens.push({ kind: 'word', text: sql.slice(i, j) });
      i = j;
    } else if (c === ';') {
      tokens.push({ kind: 'semicolon', text: c });
      i++;
    } else {
      if (!/\s/.test(c)) tokens.push({ kind: 'other', text: c });
      i++;
    }
  }
  return tokens;
}

/** Whether `sql` is one reading statement; its text without a trailing semicolon when it is. */
export function checkReadOnly(sql: string): ReadOnlyCheck {
  const tokens = tokenize(sql);
  // One statement: anything after a semicolon other than more semicolons is a second one.
  const firstSemicolon = tokens.findIndex((t) => t.kind === 'semicolon');
  if (firstSemicolon >= 0 && tokens.slice(firstSemicolon).some((t) => t.kind !== 'semicolon')) return { ok: false, reason: 'multiple' };
  const body = firstSemicolon >= 0 ? tokens.slice(0, firstSemicolon) : tokens;
  const start = body.find((t) => !(t.kind === 'other' && t.text === '('));
  if (!start) return { ok: false, reason: 'empty' };
  if (start.kind !== 'word' || !READING_STARTS.has(start.text.toUpperCase())) return { ok: false, reason: 'kind', word: start.kind === 'word' ? start.text : start.text.slice(0, 20) };
  for (let k = 0; k < body.length; k++) {
    const t = body[k]!;
    if (t.kind !== 'word') continue;
    const upper = t.text.toUpperCase();
    if (FORBIDDEN.has(upper)) return { ok: false, reason: 'keyword', word: t.text };
    // A reader function (read_csv('…')), or a string literal where a table goes (FROM 'x.csv': DuckDB's replacement scan).
    if (FILE_FUNCTION.test(t.text) && body[k + 1]?.text === '(') return { ok: false, reason: 'file', word: t.text };
    if ((upper === 'FROM' || upper === 'JOIN' || upper === 'SUMMARIZE' || upper === 'DESCRIBE' || upper === 'DESC') && body[k + 1]?.kind === 'string') {
      return { ok: false, reason: 'file', word: body[k + 1]!.text.slice(0, 60) };
    }
  }
  // The text up to the first semicolon outside strings (DuckDB gets exactly one statement).
  return { ok: true, sql: firstSemicolon >= 0 ? stripTrailingSemicolons(sql) : sql.trim() };
}

/** `sql` without its trailing semicolons and blanks (only called when nothing but semicolons follows the statement). */
function stripTrailingSemicolons(sql: string): string {
  let s = sql.trimEnd();
  // Comments after the last semicolon are possible: cut at the first semicolon outside quotes and comments.
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '-' && s[i + 1] === '-') {
      const end = s.indexOf('\n', i);
      if (end < 0) break;
      i = end;
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) break;
      i = end + 1;
    } else if (c === ';') {
      s = s.slice(0, i);
      break;
    }
  }
  return s.trim();
}

/** Whether DuckDB can DESCRIBE the statement (to learn its column types): the query kinds. */
export function describable(sql: string): boolean {
  const start = tokenize(sql).find((t) => !(t.kind === 'other' && t.text === '('));
  return start?.kind === 'word' && ['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE'].includes(start.text.toUpperCase());
}
