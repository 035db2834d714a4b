// Errors as a person reads them (CLI, run log): kept apart from run-etl.ts so
// the CLI can use it without loading the whole ETL at start-up.

/** A one-line account of an error for a person: message, code, and a hint when the database is unreachable. */
export function describeError(err: unknown): string {
  const e = err as { message?: string; code?: string } | null;
  const parts = [e?.message ?? String(err)];
  if (e?.code) parts.push(`(code ${e.code})`);
  if (e?.code === 'ECONNREFUSED' || /ECONNREFUSED|terminat/i.test(e?.message ?? '')) parts.push('— is PostgreSQL running and DATABASE_URL right?');
  return parts.join(' ');
}
