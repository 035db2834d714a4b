// manifest.json: what a published extract version contains. The dashboard reads
// `<extracts>/current/manifest.json` first, then fetches each file from
// `versions/<version>/<file>` (immutable, cacheable) and checks rows/sha256.
// Types only + one pure builder, so the dashboard can import the types.

import type { ExtractColumn, ExtractColumnType } from './arrow-columns.ts';
import { DOMINANCE_LIMIT, SUPPRESSED_COLUMN, type ExtractSpec } from './mart-query.ts';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'gridlens-extracts';
/** Bumped when a reader of an older manifest would misread a newer one. */
export const MANIFEST_FORMAT_VERSION = 1;

export type ColumnRole = 'dimension' | 'measure';

export interface ManifestColumn {
  name: string;
  /** Arrow type in the file (see etl/extract/arrow.ts for the PostgreSQL mapping). */
  type: ExtractColumnType;
  /** dimension: group/filter by it (grain, text, dates, flags); measure: aggregate it. */
  role: ColumnRole;
}

export interface ManifestFile {
  /** Mart (and table) name. */
  name: string;
  /** File name inside the version folder. */
  file: string;
  rows: number;
  bytes: number;
  /** Hex SHA-256 of the file. */
  sha256: string;
  description: string;
  /** Columns identifying a row. */
  grain: string[];
  schema: ManifestColumn[];
}

export interface MartSuppression {
  /** Column counting the customers of a cell; null: per-customer mart, not suppressed. */
  customers_column: string | null;
  /** Column with the largest customer's share, when the mart has one (not exported). */
  dominance_column: string | null;
  cells: number;
  cells_suppressed: number;
}

export interface ManifestRun {
  /** 'succeeded': every step before the publish completed (the publish is the run's last step). */
  status: 'succeeded';
  /** Rows read / rejected by this run's ingest (files skipped as already loaded count 0). */
  rows_read: number;
  rows_rejected: number;
  /** Files rejected whole (e.g. a required column missing). */
  files_rejected: number;
  /** ISO 8601 UTC: when the run started. */
  started_at: string;
  /** ISO 8601 UTC: when the publish finished (the run's end). */
  finished_at: string;
  /**
   * ISO 8601 UTC: the first scheduled run after this publish (GRIDLENS_SCHEDULE
   * in GRIDLENS_TZ), null without a valid schedule. Once it has passed (plus the
   * dashboard's grace period) without a newer version, the data is stale.
   */
  next_scheduled_at: string | null;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  format_version: typeof MANIFEST_FORMAT_VERSION;
  /** Folder name under versions/; sortable (UTC time of the publish, then run). */
  version: string;
  run_id: number | string;
  /** ISO 8601 UTC. */
  created_at: string;
  /** 'YYYY-MM-DD': the latest day the data covers. */
  data_as_of: string;
  arrow: { ipc: 'stream'; compression: null };
  files: ManifestFile[];
  /**
   * The Overview's KPI cards, precomputed so the dashboard paints before
   * DuckDB-WASM is ready (etl/extract/summary.ts). Absent in manifests written
   * before it existed, and when the version has no kpi_month or no complete month.
   */
  summary?: ManifestSummary;
  /**
   * The default screen's questions answered at publish time by DuckDB-WASM
   * over this version's files (etl/extract/first-answers.ts), so the dashboard
   * is interactive without fetching an extract or running a query first.
   * Absent in manifests written before it existed; empty when it could not be
   * computed (the dashboard then asks DuckDB, as before).
   */
  answers?: ManifestAnswer[];
  /**
   * The run that published this version, for the freshness panel and its
   * stale-data warning. Absent in manifests written before it existed and when
   * extracts are published outside a run.
   */
  run?: ManifestRun;
  /**
   * Whom the server built this manifest for, when it authenticates
   * (etl/serve/access-manifest.ts): `files` then lists only the extracts the
   * role may read (region-filtered copies for a user restricted to regions),
   * and `withheld` names the version's other extracts. Absent in published
   * manifests and when the server does not authenticate.
   */
  access?: ManifestAccess;
  suppression: {
    /** Cells with fewer customers than k are suppressed. */
    k: number;
    /** Cells where one customer holds more than this share are suppressed (marts with a dominance column). */
    dominance_limit: number;
    /** Boolean column marking suppressed cells in aggregate extracts. */
    flag_column: typeof SUPPRESSED_COLUMN;
    /** What a suppressed cell looks like. */
    rule: string;
    marts: Record<string, MartSuppression>;
  };
}

export interface ManifestAccess {
  user: string;
  /** One of etl/serve/roles.ts ROLES. */
  role: string;
  /** etl/serve/roles.ts permissions of the role. */
  permissions: string[];
  /** Regions the rows are limited to; null = every region. */
  regions: string[] | null;
  /** Extracts of this version the role may not read (not in `files`). */
  withheld: string[];
}

/**
 * Figures of the latest complete month from one mart (kpi_month), with the same
 * small-cell suppression as its extract (a suppressed month's figures are null).
 */
export interface ManifestSummary {
  /** Mart the figures come from. */
  mart: string;
  /** 'YYYY-MM-01': the latest month whose last day is on or before data_as_of. */
  month: string;
  /** 'YYYY-MM-01': the month before, or null when the data does not reach back to it. */
  previous_month: string | null;
  /** Every measure of the mart for `month`, by column name. */
  values: Record<string, number | null>;
  /** The same measures for previous_month (null when it is null). */
  previous: Record<string, number | null> | null;
  /** Up to 13 months ending with `month`, oldest first; values[name][i] belongs to months[i]. */
  series: { months: string[]; values: Record<string, (number | null)[]> };
}

/** One question of the dashboard (a data/queries builder's BuiltQuery) and DuckDB-WASM's answer to it. */
export interface ManifestAnswer {
  sql: string;
  params: (string | number | boolean | null)[];
  /** Extracts (mart names) it reads: a user who may not read one of them whole is not served the answer. */
  extracts: string[];
  /** The rows as the dashboard's engine returns them (engine.ts rowsOf), JSON-exact. */
  rows: Record<string, unknown>[];
}

export interface WrittenExtract {
  spec: ExtractSpec;
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
  columns: ExtractColumn[];
  cellsSuppressed: number;
}

/** Role of a column: grain, text, dates and flags are dimensions; numbers are measures. */
export function columnRole(spec: ExtractSpec, column: ExtractColumn): ColumnRole {
  if (spec.grain.includes(column.name) || (column.name === SUPPRESSED_COLUMN && spec.customersColumn !== null)) return 'dimension';
  if (column.name === spec.customersColumn) return 'measure';
  return column.type === 'float64' || column.type === 'int32' ? 'measure' : 'dimension';
}

export function buildManifest(o: {
  version: string;
  runId: number | string;
  createdAt: Date;
  dataAsOf: string;
  k: number;
  extracts: WrittenExtract[];
  summary?: ManifestSummary | null;
  answers?: ManifestAnswer[] | null;
  run?: ManifestRun | null;
}): Manifest {
  const marts: Record<string, MartSuppression> = {};
  for (const e of o.extracts) {
    marts[e.spec.name] = {
      customers_column: e.spec.customersColumn,
      dominance_column: e.spec.dominanceColumn ?? null,
      cells: e.rows,
      cells_suppressed: e.cellsSuppressed,
    };
  }
  return {
    format: MANIFEST_FORMAT,
    format_version: MANIFEST_FORMAT_VERSION,
    version: o.version,
    run_id: o.runId,
    created_at: o.createdAt.toISOString(),
    data_as_of: o.dataAsOf,
    arrow: { ipc: 'stream', compression: null },
    files: o.extracts.map((e) => ({
      name: e.spec.name,
      file: e.file,
      rows: e.rows,
      bytes: e.bytes,
      sha256: e.sha256,
      description: e.spec.description,
      grain: [...e.spec.grain],
      schema: e.columns.map((c) => ({ name: c.name, type: c.type, role: columnRole(e.spec, c) })),
    })),
    ...(o.summary ? { summary: o.summary } : {}),
    ...(o.answers ? { answers: o.answers } : {}),
    ...(o.run ? { run: o.run } : {}),
    suppression: {
      k: o.k,
      dominance_limit: DOMINANCE_LIMIT,
      flag_column: SUPPRESSED_COLUMN,
      rule:
        `aggregate cells with fewer than k customers (or a null count), or where one customer holds more than ` +
        `dominance_limit of the cell, keep their grain columns; every other column is null and ${SUPPRESSED_COLUMN} is true. ` +
        `Show their customer count as "< k".`,
      marts,
    },
  };
}
