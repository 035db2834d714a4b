// Where load-file.ts sends a file's valid rows, inside the file's transaction.
//
// - StagingSink (every entity but usage): COPY into staging.<entity>, then
//   the set-based merge of merge.ts.
// - UsageSink: readings grouped into day rows (usage-day-rows.ts), COPYed
//   straight into core.usage_day while that is safe, else into
//   staging.usage_day and merged by mergeUsageDays; then the pending rollup
//   ranges of the direct rows and the customers' extent hint.
//
// A sink owns at most one COPY at a time on the file's connection; pause()
// finishes it so that another statement (the quarantine's COPY) can run.

import type pg from 'pg';
import type { EntitySpec } from '../contract/entities.ts';
import type { ZoneConverter } from '../contract/time-zone.ts';
import { CopyWriter, copyEscape, makeCopySerializer, stagingColumns } from './copy-writer.ts';
import { mergeStaged, mergeUsageDays, type MergeParams } from './merge.ts';
import { UsageDayBinaryEncoder } from './usage-day-copy.ts';
import { UsageDayRows, dayText, type UsageDayRow, type UsageReading } from './usage-day-rows.ts';
import type { AddReading } from './usage-fast-lines.ts';

export interface RowSink {
  /** A validated row and its line; synchronous (the hot loop). */
  add(row: object, key: string, line: number): void;
  /** Send what add() produced. */
  flush(): Promise<void>;
  /** Finish the open COPY, if any. */
  pause(): Promise<void>;
  /** After the last row: finish, merge into core; returns the rows superseded by later lines of the file. */
  finish(merge: Omit<MergeParams, 'mayHaveDuplicates'>): Promise<number>;
  /** Cancel an open COPY (the transaction is then failed). */
  abort(err: Error): Promise<void>;
  /** Rows given to add(). */
  readonly staged: number;
}

export class StagingSink implements RowSink {
  staged = 0;
  private writer: CopyWriter | null = null;
  private copied = 0;
  private readonly serialize: (row: object, line: number) => string;
  private readonly copySql: string;
  // Keys strictly increasing in file order (any total order will do) cannot repeat.
  private increasing = true;
  private lastKey = '';

  constructor(private readonly client: pg.PoolClient, private readonly spec: EntitySpec, fileSeq: number) {
    this.serialize = makeCopySerializer(spec, fileSeq);
    this.copySql = `copy staging.${spec.name} (${stagingColumns(spec).join(', ')}) from stdin with (freeze)`;
  }

  private open(): CopyWriter {
    if (this.writer === null) this.writer = new CopyWriter(this.client, this.copySql);
    return this.writer;
  }

  add(row: object, key: string, line: number): void {
    this.open().add(this.serialize(row, line));
    this.staged++;
    if (this.increasing) {
      if (key <= this.lastKey && this.staged > 1) this.increasing = false;
      this.lastKey = key;
    }
  }

  async flush(): Promise<void> {
    await this.writer?.send();
  }

  async pause(): Promise<void> {
    if (this.writer === null) return;
    const w = this.writer;
    this.writer = null;
    this.copied += await w.end();
  }

  async finish(merge: Omit<MergeParams, 'mayHaveDuplicates'>): Promise<number> {
    await this.pause();
    if (this.copied !== this.staged) throw new Error(`COPY loaded ${this.copied} rows into staging.${this.spec.name}, expected ${this.staged}`);
    if (this.staged === 0) return 0;
    // Statistics for the merge's joins.
    await this.client.query(`analyze staging.${this.spec.name}`);
    return mergeStaged(this.client, this.spec.name, { ...merge, mayHaveDuplicates: !this.increasing });
  }

  async abort(err: Error): Promise<void> {
    await this.writer?.abort(err);
    this.writer = null;
  }
}

export interface UsageSinkOptions {
  zone: ZoneConverter;
  /** Last stored local day per customer (days since 1970-01-01): core.usage_extent as of the file's start. */
  lastStoredDay: (customer: string) => number | undefined;
  /** False on the retry after a direct COPY met a stored row. */
  allowDirect: boolean;
  /** Out-of-order files: open day rows kept before they are emitted (tests lower it). */
  maxOpenRows?: number;
}

const DIRECT_COPY = 'copy core.usage_day (customer_id, day, interval_minutes, offset_ms, kwh, estimated) from stdin with (format binary)';
const STAGED_COPY = 'copy staging.usage_day (chunk, customer_id, day, interval_minutes, offset_ms, kwh, estimated) from stdin with (format binary, freeze)';

export class UsageSink implements RowSink {
  private readonly rows: UsageDayRows;
  private writer: CopyWriter | null = null;
  private writerKind: 'direct' | 'staged' | null = null;
  private encoder: UsageDayBinaryEncoder | null = null;
  private directLines = 0;
  private stagedLines = 0;
  private copiedDirect = 0;
  private copiedStaged = 0;

  constructor(private readonly client: pg.PoolClient, o: UsageSinkOptions) {
    this.rows = new UsageDayRows(o);
  }

  get staged(): number {
    return this.rows.readings;
  }

  add(row: object): void {
    this.rows.add(row as UsageReading);
  }

  /** The fast line reader's entry (no row object). */
  readonly addValues: AddReading = (customer, t, interval, kwh, estimated) => this.rows.addValues(customer, t, interval, kwh, estimated);

  private async write(kind: 'direct' | 'staged', rows: UsageDayRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.writerKind !== kind) {
      await this.pause();
      this.writer = new CopyWriter(this.client, kind === 'direct' ? DIRECT_COPY : STAGED_COPY, 'binary');
      this.writerKind = kind;
      this.encoder = new UsageDayBinaryEncoder(kind === 'staged');
    }
    const writer = this.writer!;
    for (const row of rows) this.encoder!.write(writer, row);
    if (kind === 'direct') this.directLines += rows.length;
    else this.stagedLines += rows.length;
    await writer.send();
  }

  async flush(): Promise<void> {
    // Direct lines always precede staged ones (usage-day-rows.ts switches one way).
    await this.write('direct', this.rows.takeDirect());
    await this.write('staged', this.rows.takeStaged());
  }

  async pause(): Promise<void> {
    if (this.writer === null) return;
    const w = this.writer;
    const kind = this.writerKind;
    this.writer = null;
    this.writerKind = null;
    const n = await w.end();
    if (kind === 'direct') this.copiedDirect += n;
    else this.copiedStaged += n;
  }

  async finish(): Promise<number> {
    this.rows.finish();
    await this.flush();
    await this.pause();
    if (this.copiedDirect !== this.directLines || this.copiedStaged !== this.stagedLines) {
      throw new Error(`COPY loaded ${this.copiedDirect} + ${this.copiedStaged} usage day rows, expected ${this.directLines} + ${this.stagedLines}`);
    }
    let superseded = this.rows.superseded;
    if (this.stagedLines > 0) {
      await this.client.query('analyze staging.usage_day');
      superseded += await mergeUsageDays(this.client, { mayRepeatKeys: this.rows.mayRepeatKeys, wroteDirect: this.directLines > 0 });
    }
    await this.writePendingRanges();
    await this.writeExtent();
    return superseded;
  }

  private async writePendingRanges(): Promise<void> {
    const ranges = this.rows.directRanges();
    if (ranges.length === 0) return;
    const writer = new CopyWriter(this.client, 'copy rollup.pending_usage_range (customer_id, day_from, day_to) from stdin');
    for (const r of ranges) writer.add(`${copyEscape(r.customer)}\t${dayText(r.from)}\t${dayText(r.to)}\n`);
    await writer.end();
  }

  private async writeExtent(): Promise<void> {
    const last = this.rows.lastDays();
    if (last.size === 0) return;
    await this.client.query(
      `insert into core.usage_extent as x (customer_id, last_day)
       select u.customer_id, date '1970-01-01' + u.day from unnest($1::text[], $2::integer[]) as u (customer_id, day)
       on conflict (customer_id) do update set last_day = excluded.last_day where x.last_day < excluded.last_day`,
      [[...last.keys()], [...last.values()]],
    );
  }

  /** Last day per customer written by this file (to advance the caller's hint after commit). */
  lastDays(): ReadonlyMap<string, number> {
    return this.rows.lastDays();
  }

  async abort(err: Error): Promise<void> {
    await this.writer?.abort(err);
    this.writer = null;
    this.writerKind = null;
  }
}
