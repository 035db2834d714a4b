// One input file as a stream of CSV records, never whole in memory:
// fs read stream (1 MiB chunks) → gunzip for .gz → CsvDecoder → CsvParser.
// Yields the records completed by each chunk (an array per chunk, so the
// caller's loop is synchronous within a chunk). A file that is not text, or a
// .gz that cannot be decompressed, throws FileRejection.

import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileRejection } from '../contract/reasons.ts';
import { CsvParser, type CsvRecord } from './csv-parser.ts';
import { CsvDecoder } from './decode.ts';

const READ_CHUNK = 1024 * 1024;
const GUNZIP_CHUNK = 256 * 1024;

export interface ReadOptions {
  /** Decompress (the file name ends in .gz). */
  gzip: boolean;
  /** The decoder to use (its `encoding` and `replacements` are read afterwards). */
  decoder: CsvDecoder;
  /** Called with each chunk of the file's bytes as stored (compressed, for .gz), in order. */
  onChunk?: (bytes: Buffer) => void;
  /** The parser to use (so the caller can set a line hook on it). */
  parser?: CsvParser;
}

function isZlibError(err: unknown): err is Error {
  const code = (err as { code?: unknown }).code;
  return err instanceof Error && typeof code === 'string' && code.startsWith('Z_');
}

export async function* readRecords(path: string, options: ReadOptions): AsyncGenerator<CsvRecord[]> {
  const { decoder, onChunk } = options;
  const file = createReadStream(path, { highWaterMark: READ_CHUNK });
  let source: Readable = file;
  if (options.gzip) {
    const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
    file.on('error', (err) => gunzip.destroy(err));
    if (onChunk) file.on('data', (bytes) => onChunk(bytes as Buffer));
    source = file.pipe(gunzip);
  }
  const parser = options.parser ?? new CsvParser();
  try {
    for await (const bytes of source as AsyncIterable<Buffer>) {
      if (!options.gzip) onChunk?.(bytes);
      const text = decoder.write(bytes);
      if (text.length > 0) {
        const records = parser.push(text);
        if (records.length > 0) yield records;
      }
    }
  } catch (err) {
    if (options.gzip && isZlibError(err)) {
      throw new FileRejection('corrupt_gzip', `the .gz file cannot be decompressed (${err.message}); it is damaged or cut short: send it again`);
    }
    throw err;
  } finally {
    file.destroy();
    if (source !== file) source.destroy();
  }
  const rest = decoder.end();
  const records = rest.length > 0 ? [...parser.push(rest), ...parser.end()] : parser.end();
  if (records.length > 0) yield records;
}
