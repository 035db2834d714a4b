// Throughput of the ingest hot path on synthetic usage rows, stage by stage:
// decode (bytes → text), CSV parse, row validation. Run: npx tsx bench/ingest-parse.bench.ts
// Input is built in memory so the numbers exclude disk and gzip.

import { CsvParser } from '../etl/ingest/csv-parser.ts';
import { CsvDecoder } from '../etl/ingest/decode.ts';
import { USAGE } from '../etl/contract/entities.ts';
import { mapHeader } from '../etl/contract/header.ts';
import { makeRowValidator } from '../etl/contract/validate-row.ts';

const ROWS = Number(process.env.ROWS ?? 2_000_000);
const CHUNK = 64 * 1024;

function usageCsv(rows: number): string {
  const lines = ['customer_id,reading_start,interval_minutes,kwh,quality'];
  for (let i = 0; i < rows; i++) {
    const minute = (i % 96) * 15;
    const day = 1 + (Math.floor(i / 9600) % 28);
    const hh = String(Math.floor(minute / 60)).padStart(2, '0');
    const mm = String(minute % 60).padStart(2, '0');
    lines.push(`C${String(Math.floor(i / 96) % 100_000).padStart(7, '0')},2026-03-${String(day).padStart(2, '0')} ${hh}:${mm},15,${(i % 997) / 100},actual`);
  }
  return lines.join('\n') + '\n';
}

const RUNS = 3;

/** Runs `run` once to warm up, then RUNS times; prints the median throughput. */
function time(label: string, bytes: number, records: number, run: () => unknown): void {
  run();
  const seconds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    seconds.push((performance.now() - start) / 1000);
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(RUNS / 2)];
  const range = `[${(records / seconds[RUNS - 1] / 1e6).toFixed(2)}–${(records / seconds[0] / 1e6).toFixed(2)}]`;
  console.log(`${label.padEnd(28)} ${(bytes / median / 1e6).toFixed(0).padStart(5)} MB/s  ${(records / median / 1e6).toFixed(2)} M records/s ${range}`);
}

/** The same rows with every field quoted (as some exporters write them). */
function quoteAll(csv: string): string {
  return csv.replace(/[^,\n]+/g, (field) => `"${field}"`);
}

const text = usageCsv(ROWS);
const bytes = Buffer.from(text, 'utf8');
const chunks: string[] = [];
for (let at = 0; at < text.length; at += CHUNK) chunks.push(text.slice(at, at + CHUNK));
console.log(`${ROWS} usage rows, ${(bytes.length / 1e6).toFixed(0)} MB, ${CHUNK / 1024} KiB chunks`);

time('decode (utf-8)', bytes.length, ROWS, () => {
  const decoder = new CsvDecoder();
  let length = 0;
  for (let at = 0; at < bytes.length; at += CHUNK) length += decoder.write(bytes.subarray(at, at + CHUNK)).length;
  return length + decoder.end().length;
});

const quotedChunks: string[] = [];
const quoted = quoteAll(text);
for (let at = 0; at < quoted.length; at += CHUNK) quotedChunks.push(quoted.slice(at, at + CHUNK));
time('csv parse, all quoted', quoted.length, ROWS, () => {
  const parser = new CsvParser();
  let count = 0;
  for (const chunk of quotedChunks) count += parser.push(chunk).length;
  return count + parser.end().length;
});

time('csv parse', bytes.length, ROWS, () => {
  const parser = new CsvParser();
  let count = 0;
  for (const chunk of chunks) count += parser.push(chunk).length;
  return count + parser.end().length;
});

// Validation alone, on a retained sample (retaining every record would measure the GC instead).
const SAMPLE = Math.min(ROWS, 200_000);
const sampleParser = new CsvParser();
const sample = [...sampleParser.push(usageCsv(SAMPLE)), ...sampleParser.end()];
const header = mapHeader(USAGE, sample[0].fields);
if (!header.ok) throw new Error(header.message);
const rounds = Math.max(1, Math.round(ROWS / SAMPLE));
time('validate (usage rows)', (bytes.length / ROWS) * SAMPLE * rounds, SAMPLE * rounds, () => {
  const validate = makeRowValidator(USAGE, header);
  let good = 0;
  for (let round = 0; round < rounds; round++) for (let i = 1; i < sample.length; i++) if (validate(sample[i].fields).ok) good++;
  if (good !== SAMPLE * rounds) throw new Error(`only ${good} rows valid`);
  return good;
});

time('parse + validate', bytes.length, ROWS, () => {
  const parser = new CsvParser();
  const validate = makeRowValidator(USAGE, header);
  let good = 0;
  let first = true;
  for (const chunk of chunks) {
    for (const record of parser.push(chunk)) {
      if (first) first = false;
      else if (validate(record.fields).ok) good++;
    }
  }
  if (good !== ROWS) throw new Error(`only ${good} rows valid`);
  return good;
});
