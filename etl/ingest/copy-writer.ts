// Writing rows to PostgreSQL with COPY … FROM STDIN in text format: the escaping
// rules, a serializer from validated contract rows to COPY lines, and a small
// writer over pg-copy-streams that sends large chunks and honours backpressure.
// The writer also carries COPY's binary format (usage-day-copy.ts encodes the
// meter readings that way).
//
// COPY text format (PostgreSQL docs, COPY "Text Format"): columns separated by
// a tab, rows ended by a newline, NULL written as \N; a backslash, tab, newline
// or carriage return inside a value is escaped (\\, \t, \n, \r). PostgreSQL
// text cannot hold NUL, so a NUL (only possible in quarantined raw lines: the
// row validator rejects it in fields) becomes U+FFFD.

import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntitySpec } from '../contract/entities.ts';

const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\ufffd' };

/** A text value escaped for COPY text format (returns the same string when nothing needs escaping). */
export function copyEscape(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : text;
}

export const COPY_NULL = '\\N';

/**
 * Serializer of one entity's validated rows into staging COPY lines:
 * `file_seq, line, <contract columns in spec order>` (sql/migrations/015).
 *
 * Generated code (one expression per column, properties read by name): a
 * generic loop over the columns with computed property names costs about as
 * much as the CSV parser itself. The source is built from the entity spec's
 * column names (constants, quoted with JSON.stringify), never from file data.
 */
export function makeCopySerializer(spec: EntitySpec, fileSeq: number): (row: object, line: number) => string {
  if (!Number.isInteger(fileSeq)) throw new Error(`file sequence must be an integer, got ${fileSeq}`);
  // Generated code refers to its constants by name (T tab, N null, E escape) to stay free of escapes.
  const parts = spec.columns.map((c) => {
    const v = `r[${JSON.stringify(c.name)}]`;
    const value = c.type === 'text' ? `E(${v})` : c.type === 'bool' ? `(${v} ? 't' : 'f')` : v;
    return `(${v} == null ? N : ${value})`;
  });
  const body = `return function serialize(r, line) { return P + line + T + ${parts.join(' + T + ')} + L; };`;
  type Factory = (P: string, T: string, N: string, L: string, E: (text: string) => string) => (row: object, line: number) => string;
  const factory = new Function('P', 'T', 'N', 'L', 'E', body) as Factory;
  return factory(`${fileSeq}\t`, '\t', COPY_NULL, '\n', copyEscape);
}

/** Column list of an entity's staging table, in COPY order. */
export function stagingColumns(spec: EntitySpec): string[] {
  return ['file_seq', 'line', ...spec.columns.map((c) => c.name)];
}

/** COPY binary file signature: "PGCOPY\n\377\r\n\0". */
const BINARY_SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);

/** Size of the buffers COPY text is encoded into; each full buffer is one CopyData message. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * One COPY … FROM STDIN on a client. add() encodes a line (or several) straight
 * into a 1 MiB buffer (no long string concatenation: flattening such ropes
 * costs more than building them); send() hands the full buffers to the
 * socket, waiting when it is full; end() finishes the COPY and resolves to the
 * row count the server reports; abort() makes the server cancel the COPY (the
 * transaction is then failed: roll it back).
 */
export class CopyWriter {
  private readonly stream: ReturnType<typeof copyFrom>;
  private readonly finished: Promise<void>;
  private error: Error | null = null;
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private full: Buffer[] = [];

  private readonly binary: boolean;

  /** `format: 'binary'`: the SQL must say `format binary`; the writer adds the file header and trailer. */
  constructor(client: pg.PoolClient | pg.Client, sql: string, format: 'text' | 'binary' = 'text') {
    this.binary = format === 'binary';
    if (this.binary) {
      // Signature, flags (no OIDs), header extension length.
      this.used += BINARY_SIGNATURE.copy(this.buffer, 0);
      this.used = this.buffer.writeInt32BE(0, this.used);
      this.used = this.buffer.writeInt32BE(0, this.used);
    }
    this.stream = client.query(copyFrom(sql));
    this.finished = new Promise<void>((resolve, reject) => {
      this.stream.on('finish', resolve);
      this.stream.on('error', (err: Error) => {
        this.error = err;
        reject(err);
      });
    });
    this.finished.catch(() => undefined); // surfaced by send()/end()
  }

  /** Queue COPY text (whole lines). Synchronous; call send() now and then. */
  add(text: string): void {
    // A UTF-16 code unit encodes to at most 3 UTF-8 bytes.
    if (this.used + text.length * 3 > CHUNK_BYTES) {
      this.cut();
      if (text.length * 3 > CHUNK_BYTES) {
        this.full.push(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  /**
   * Binary format: room for `bytes` bytes; the caller writes them into
   * `buffer` from `offset` on, at once (the space counts as used).
   */
  reserve(bytes: number): { buffer: Buffer; offset: number } {
    if (this.used + bytes > CHUNK_BYTES) {
      this.cut();
      if (bytes > CHUNK_BYTES) {
        const own = Buffer.allocUnsafe(bytes);
        this.full.push(own);
        return { buffer: own, offset: 0 };
      }
    }
    const offset = this.used;
    this.used += bytes;
    return { buffer: this.buffer, offset };
  }

  private cut(): void {
    if (this.used === 0) return;
    this.full.push(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }

  /** Send the buffers filled so far; resolves when the socket can take more. */
  async send(): Promise<void> {
    if (this.error) throw this.error;
    const chunks = this.full;
    if (chunks.length === 0) return;
    this.full = [];
    let ok = true;
    for (const chunk of chunks) ok = this.stream.write(chunk);
    if (!ok) await once(this.stream, 'drain'); // rejects on 'error'
  }

  /** Send the rest and finish the COPY; resolves to the number of rows the server loaded. */
  async end(): Promise<number> {
    if (this.binary) {
      const { buffer, offset } = this.reserve(2);
      buffer.writeInt16BE(-1, offset); // trailer
    }
    this.cut();
    await this.send();
    this.stream.end();
    await this.finished;
    return this.stream.rowCount;
  }

  /** Cancel the COPY (sends CopyFail); never throws. */
  async abort(reason: Error): Promise<void> {
    if (this.stream.writableFinished || this.error) return;
    this.stream.destroy(reason);
    await this.finished.catch(() => undefined);
  }
}
