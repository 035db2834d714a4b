// Streaming RFC 4180 CSV parser over already-decoded text. Feed it chunks of any
// size; it returns the records completed so far. Fast path: an unquoted field is
// located with indexOf(',') / indexOf('\n') (positions cached so a line is not
// rescanned per field) and cut with one slice; quoted fields jump from quote to
// quote. Nothing is concatenated per character.
//
// Leniency and errors, decided for loading real exports:
// - LF and CRLF end records; a lone CR is data. Empty lines are skipped (they
//   are not rows) but still counted, so `line` always names the physical line.
// - A quote inside an unquoted field (`12" pipe`) is a literal character.
// - Text after a closing quote (`"ab"c`), a quote never closed, or a quoted field
//   over the size cap are errors reported as records with `error` set — never
//   thrown. Such a record's `raw` is its first physical line and parsing resumes
//   on the next line, so one stray quote costs one row, not the rest of the file.
// - An unquoted field over the cap (or a record over maxRecordLength) makes the
//   record an error and the parser skips to the end of that line without keeping
//   it; such a record's `raw` is cut to RAW_KEEP characters.

export interface CsvError {
  readonly code: 'unbalanced_quote' | 'text_too_long';
  readonly message: string;
}

export interface CsvRecord {
  /** Field values, unquoted; empty for an error record. */
  readonly fields: string[];
  /** Physical line (1-based) where the record starts; the header is line 1. */
  readonly line: number;
  /** The record's text without its line ending, for quarantine. */
  readonly raw: string;
  readonly error: CsvError | null;
}

export interface CsvParserOptions {
  /** Longest field accepted, in UTF-16 code units (default 16 MiB). */
  readonly maxFieldLength?: number;
  /** Longest record accepted (default 4 × maxFieldLength). */
  readonly maxRecordLength?: number;
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const BOM = 0xfeff;
const RAW_KEEP = 64 * 1024;

const enum State {
  FieldStart,
  Unquoted, // inside an unquoted field that began in an earlier chunk
  Quoted,
  QuoteInQuoted, // saw '"' inside a quoted field: an escape or the closing quote
  CrAfterQuote, // saw '"' then '\r' at a chunk end: expecting '\n'
  SkipLine, // discarding the rest of a failed record's line
}

const stripCr = (text: string) => (text.charCodeAt(text.length - 1) === CR ? text.slice(0, -1) : text);

/** indexOf, but "not found" is the end of the text, so the answer can be cached. */
function find(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Lets a caller take plain lines itself (a fast path for one entity's common
 * rows), in file order with the records the parser produces.
 */
export interface LineHook {
  /**
   * A complete physical line text[from, to) (line ending excluded) that starts a
   * record. Return true if it was taken (it then is no record), false to have
   * the parser read it.
   */
  line(text: string, from: number, to: number): boolean;
  /** Records completed before the next line is offered (so order is kept). */
  records(records: CsvRecord[]): void;
}

export class CsvParser {
  private lineHook: LineHook | null = null;
  private readonly maxField: number;
  private readonly maxRecord: number;
  private state = State.FieldStart;
  private fields: string[] = [];
  private inRecord = false;
  private pending = ''; // field text carried over from earlier chunks
  private rawPending = ''; // record text carried over from earlier chunks
  private line = 1;
  private recordLine = 1;
  private skipError: CsvError | null = null;
  private sawFirstChar = false;

  constructor(options: CsvParserOptions = {}) {
    this.maxField = options.maxFieldLength ?? 16 * 1024 * 1024;
    this.maxRecord = options.maxRecordLength ?? 4 * this.maxField;
  }

  /** Offer the lines of later chunks to `hook` first (null: stop). */
  setLineHook(hook: LineHook | null): void {
    this.lineHook = hook;
  }

  /** Parse the next chunk; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (!this.sawFirstChar && chunk.length > 0) {
      this.sawFirstChar = true;
      if (chunk.charCodeAt(0) === BOM) chunk = chunk.slice(1);
    }
    this.run(chunk, out);
    return out;
  }

  /** Finish the input: emits a final line without newline, or an unbalanced-quote error. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (;;) {
      switch (this.state) {
        case State.FieldStart:
          if (this.inRecord) this.finishRecord(this.rawPending, '', out);
          break;
        case State.Unquoted:
          this.finishRecord(this.rawPending, this.pending, out);
          break;
        case State.QuoteInQuoted:
        case State.CrAfterQuote:
          this.finishRecord(this.rawPending, this.pending, out);
          break;
        case State.SkipLine:
          this.emitError(this.rawPending, this.skipError ?? { code: 'text_too_long', message: 'record too long' }, out);
          break;
        case State.Quoted: {
          const error: CsvError = { code: 'unbalanced_quote', message: 'a quoted field is never closed (unbalanced quote)' };
          const replay = this.failRecord(error, this.rawPending, out);
          if (replay !== null) this.run(replay, out);
          continue; // the replayed lines (or the skipped line) end in any state
        }
      }
      return out;
    }
  }

  private run(text: string, out: CsvRecord[]): void {
    let chunk = text;
    let length = chunk.length;
    let pos = 0;
    let recordStart = 0; // where the current record's text starts in this chunk
    let nextComma = -1;
    let nextNewline = -1;

    while (pos < length) {
      switch (this.state) {
        case State.FieldStart:
        case State.Unquoted: {
          if (this.state === State.FieldStart) {
            if (!this.inRecord) {
              if (this.lineHook !== null) {
                if (nextNewline < pos) nextNewline = find(chunk, '\n', pos);
                if (nextNewline < length) {
                  const end = nextNewline > pos && chunk.charCodeAt(nextNewline - 1) === CR ? nextNewline - 1 : nextNewline;
                  if (out.length > 0) this.lineHook.records(out.splice(0, out.length));
                  if (this.lineHook.line(chunk, pos, end)) {
                    this.line++;
                    pos = nextNewline + 1;
                    break;
                  }
                }
              }
              this.inRecord = true;
              this.recordLine = this.line;
              recordStart = pos;
            }
            if (chunk.charCodeAt(pos) === QUOTE) {
              this.state = State.Quoted;
              pos++;
              break;
            }
          }
          // An unquoted field (possibly continued from the previous chunk).
          if (nextComma < pos) nextComma = find(chunk, ',', pos);
          if (nextNewline < pos) nextNewline = find(chunk, '\n', pos);
          const end = nextComma < nextNewline ? nextComma : nextNewline;
          if (end === length) {
            // The field goes on in the next chunk.
            this.pending += chunk.slice(pos);
            this.state = State.Unquoted;
            pos = length;
            if (this.pending.length > this.maxField) {
              this.skipRestOfLine(this.fieldTooLong(), this.rawPending + chunk.slice(recordStart, length));
              recordStart = length;
            }
            break;
          }
          const value = this.pending.length === 0 ? chunk.slice(pos, end) : this.pending + chunk.slice(pos, end);
          this.pending = '';
          if (value.length > this.maxField) {
            this.skipRestOfLine(this.fieldTooLong(), this.rawPending + chunk.slice(recordStart, end));
            recordStart = pos = end;
            break;
          }
          pos = end + 1;
          if (end === nextComma) {
            this.fields.push(value);
            this.state = State.FieldStart;
          } else {
            this.finishRecord(this.rawPending + chunk.slice(recordStart, end), value, out);
            this.line++;
          }
          break;
        }
        case State.Quoted: {
          const quote = chunk.indexOf('"', pos);
          const end = quote === -1 ? length : quote;
          this.line += countNewlines(chunk, pos, end);
          this.pending += chunk.slice(pos, end);
          pos = quote === -1 ? length : quote + 1;
          if (quote !== -1) this.state = State.QuoteInQuoted;
          if (this.pending.length > this.maxField) {
            const replay = this.failRecord(this.fieldTooLong(), this.rawPending + chunk.slice(recordStart, pos), out);
            if (replay !== null) ({ chunk, length, pos, recordStart, nextComma, nextNewline } = this.restart(replay + chunk.slice(pos)));
            else recordStart = pos;
          }
          break;
        }
        case State.QuoteInQuoted: {
          const code = chunk.charCodeAt(pos);
          if (code === QUOTE) {
            this.pending += '"';
            this.state = State.Quoted;
            pos++;
          } else if (code === COMMA) {
            this.fields.push(this.pending);
            this.pending = '';
            this.state = State.FieldStart;
            pos++;
          } else if (code === LF) {
            this.finishRecord(this.rawPending + chunk.slice(recordStart, pos), this.pending, out);
            this.line++;
            pos++;
          } else if (code === CR && pos + 1 === length) {
            this.state = State.CrAfterQuote;
            pos++;
          } else if (code === CR && chunk.charCodeAt(pos + 1) === LF) {
            this.finishRecord(this.rawPending + chunk.slice(recordStart, pos), this.pending, out);
            this.line++;
            pos += 2;
          } else {
            ({ chunk, length, pos, recordStart, nextComma, nextNewline } = this.textAfterQuote(chunk, recordStart, pos, out));
          }
          break;
        }
        case State.CrAfterQuote: {
          if (chunk.charCodeAt(pos) === LF) {
            this.finishRecord(this.rawPending + chunk.slice(recordStart, pos), this.pending, out);
            this.line++;
            pos++;
          } else {
            ({ chunk, length, pos, recordStart, nextComma, nextNewline } = this.textAfterQuote(chunk, recordStart, pos, out));
          }
          break;
        }
        case State.SkipLine: {
          if (nextNewline < pos) nextNewline = find(chunk, '\n', pos);
          if (nextNewline === length) {
            this.keepSkippedRaw(chunk.slice(recordStart, length));
            pos = length;
            break;
          }
          this.keepSkippedRaw(chunk.slice(recordStart, nextNewline));
          this.emitError(this.rawPending, this.skipError ?? this.fieldTooLong(), out);
          this.line++;
          pos = nextNewline + 1;
          break;
        }
      }
    }

    // Carry the unfinished record's text into the next chunk.
    if (this.inRecord && this.state !== State.SkipLine) {
      this.rawPending += chunk.slice(recordStart, length);
      if (this.rawPending.length > this.maxRecord) {
        const error: CsvError = { code: 'text_too_long', message: `the record is longer than ${this.maxRecord} characters` };
        const raw = this.rawPending;
        this.rawPending = '';
        this.skipRestOfLine(error, raw);
      }
    }
  }

  private fieldTooLong(): CsvError {
    return { code: 'text_too_long', message: `a field is longer than ${this.maxField} characters` };
  }

  private textAfterQuote(chunk: string, recordStart: number, pos: number, out: CsvRecord[]) {
    const error: CsvError = { code: 'unbalanced_quote', message: 'unexpected text after a closing quote (a quote inside a quoted value must be doubled: "")' };
    const replay = this.failRecord(error, this.rawPending + chunk.slice(recordStart, pos), out);
    if (replay !== null) return this.restart(replay + chunk.slice(pos));
    // Still on the record's first line: skip the rest of it from here.
    return { chunk, length: chunk.length, pos, recordStart: pos, nextComma: -1, nextNewline: -1 };
  }

  /** Continue the run loop on replacement text (the lines after a failed record). */
  private restart(text: string) {
    return { chunk: text, length: text.length, pos: 0, recordStart: 0, nextComma: -1, nextNewline: -1 };
  }

  /**
   * A quote problem in the record read so far (`soFar`). If the record already
   * spans lines, report its first line and return the text after it for
   * re-parsing; otherwise skip to the end of the current line.
   */
  private failRecord(error: CsvError, soFar: string, out: CsvRecord[]): string | null {
    const newline = soFar.indexOf('\n');
    if (newline === -1) {
      this.skipRestOfLine(error, soFar);
      return null;
    }
    const line = this.recordLine;
    this.resetRecord();
    this.emitErrorAt(line, stripCr(soFar.slice(0, newline)), error, out);
    this.line = line + 1;
    return soFar.slice(newline + 1);
  }

  private skipRestOfLine(error: CsvError, soFar: string): void {
    this.fields = [];
    this.pending = '';
    this.state = State.SkipLine;
    this.skipError = error;
    this.rawPending = ''; // soFar already includes it
    this.keepSkippedRaw(soFar);
  }

  private keepSkippedRaw(text: string): void {
    if (this.rawPending.length < RAW_KEEP) this.rawPending += text.slice(0, RAW_KEEP - this.rawPending.length);
  }

  private finishRecord(raw: string, lastField: string, out: CsvRecord[]): void {
    const fields = this.fields;
    const wasQuoted = this.state === State.QuoteInQuoted || this.state === State.CrAfterQuote;
    fields.push(wasQuoted ? lastField : stripCr(lastField));
    const text = stripCr(raw);
    const line = this.recordLine;
    this.resetRecord();
    if (fields.length === 1 && text.length === 0) return; // an empty line is not a record
    out.push({ fields, line, raw: text, error: null });
  }

  private emitError(raw: string, error: CsvError, out: CsvRecord[]): void {
    const line = this.recordLine;
    this.resetRecord();
    this.emitErrorAt(line, stripCr(raw), error, out);
  }

  private emitErrorAt(line: number, raw: string, error: CsvError, out: CsvRecord[]): void {
    out.push({ fields: [], line, raw, error });
  }

  private resetRecord(): void {
    this.fields = [];
    this.pending = '';
    this.rawPending = '';
    this.inRecord = false;
    this.skipError = null;
    this.state = State.FieldStart;
  }
}

/** Parse a stream of decoded text chunks into records (convenience over CsvParser). */
export async function* parseCsv(chunks: AsyncIterable<string> | Iterable<string>, options?: CsvParserOptions): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(options);
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}
