// Shared by the end-to-end ETL tests: a scratch database and the real CLI.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { tableFromIPC, type Table } from 'apache-arrow';
import type pg from 'pg';
import { createPool } from '../../../etl/db/connection.ts';
import { createScratchDatabase, type ScratchDatabase } from '../../helpers/db.ts';
import { TMP } from '../../helpers/generated.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');

export interface Pipeline {
  scratch: ScratchDatabase;
  pool: pg.Pool;
  /** A private GRIDLENS_HOME (pseudonym secret) and extracts folder. */
  home: string;
  extracts: string;
  close(): Promise<void>;
}

export async function pipelineDatabase(label: string): Promise<Pipeline> {
  const scratch = await createScratchDatabase(label);
  const pool = createPool(scratch.url, { tz: 'Asia/Shanghai', max: 3 });
  const base = join(TMP, 'pipeline', `${label}-${process.pid}-${randomBytes(3).toString('hex')}`);
  mkdirSync(base, { recursive: true });
  return {
    scratch, pool, home: join(base, 'home'), extracts: join(base, 'extracts'),
    async close() {
      await pool.end();
      await scratch.drop();
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run etl -- <args>` (tsx etl/cli.ts) against the pipeline's database. */
export async function etl(p: Pipeline, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'etl/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: p.scratch.url, GRIDLENS_HOME: p.home, GRIDLENS_EXTRACTS: p.extracts, GRIDLENS_LOG_LEVEL: 'warn', ...env },
      maxBuffer: 64 << 20,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * Every mart's content checksum, to compare states of the warehouse. Floating
 * columns are rounded to 9 significant digits first: a sum of doubles depends on
 * the order PostgreSQL happens to add the rows in, which is not a difference.
 */
export async function martChecksums(pool: pg.Pool): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ table_name: string; columns: { name: string; type: string }[] }>(
    `select c.table_name, json_agg(json_build_object('name', c.column_name, 'type', c.data_type) order by c.ordinal_position) as columns
       from information_schema.columns c join information_schema.views v on v.table_schema = c.table_schema and v.table_name = c.table_name
      where c.table_schema = 'mart' group by c.table_name order by 1`);
  const out: Record<string, string> = {};
  for (const { table_name, columns } of rows) {
    const list = columns.map(({ name, type }) => {
      const q = `"${name}"`;
      return type === 'double precision' || type === 'numeric' || type === 'real'
        ? `case when ${q} is null or ${q} = 0 then ${q}::text else to_char(${q}::float8, '9.99999999EEEE') end`
        : `${q}::text`;
    });
    const r = await pool.query(`select md5(coalesce(string_agg(x, '|' order by x), '')) as sum, count(*)::int as n
      from (select concat_ws(',', ${list.join(', ')}) as x from mart.${table_name}) t`);
    out[table_name] = `${r.rows[0].n}:${r.rows[0].sum}`;
  }
  return out;
}

/** The published extracts: manifest and each table read back with apache-arrow. */
export function readCurrentExtracts(extracts: string): { manifest: any; tables: Map<string, Table>; bytes: Map<string, Buffer> } {
  const dir = join(extracts, 'current');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const tables = new Map<string, Table>();
  const bytes = new Map<string, Buffer>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.arrow'))) {
    const b = readFileSync(join(dir, f));
    bytes.set(f, b);
    tables.set(f.replace(/\.arrow$/, ''), tableFromIPC(b));
  }
  return { manifest, tables, bytes };
}
