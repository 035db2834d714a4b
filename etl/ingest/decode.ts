// Bytes of one input file → text, for the contract's two encodings: UTF-8 (with
// or without BOM) and GB18030 (a superset of GBK, what Chinese Excel and many
// CIS exports write). Files carry no encoding label, so it is detected:
//
// - A UTF-8 BOM decides UTF-8. A UTF-16 BOM, a ZIP/XLS/gzip signature or NUL
//   bytes at the start reject the whole file with a message saying what it is.
// - Otherwise the decision waits for the first non-ASCII byte (ASCII is the same
//   in both encodings, and id/number-only files never need a decision). The
//   bytes from there (up to DECISION_WINDOW) are tried as strict UTF-8 first.
//   If they are not clean UTF-8, the encoding with fewer invalid characters
//   wins, except that text which is mostly valid UTF-8 stays UTF-8 (see
//   chooseEncoding: damaged UTF-8 can be flawless GB18030).
// - Invalid bytes do not stop the file: the decoder writes U+FFFD for them (the
//   WHATWG "replacement" mode) and counts them, and the row validator rejects
//   each row whose fields contain U+FFFD with `bad_encoding`, so the damage is
//   reported per line and the rest of the file loads.

import { isAscii } from 'node:buffer';
import { FileRejection } from '../contract/reasons.ts';

export type CsvEncoding = 'utf-8' | 'gb18030';

/** Bytes after the first non-ASCII byte that the encoding decision looks at. */
export const DECISION_WINDOW = 4096;
const SIGNATURE_BYTES = 4;
const BINARY_CHECK_BYTES = 4096;

const asciiDecoder = new TextDecoder('utf-8');

function fitsStrictly(encoding: CsvEncoding, bytes: Uint8Array, atEnd: boolean): boolean {
  try {
    // stream: true lets a multi-byte character cut at the window's end pass.
    new TextDecoder(encoding, { fatal: true }).decode(bytes, { stream: !atEnd });
    return true;
  } catch {
    return false;
  }
}

/**
 * Characters of `bytes` decoded leniently: invalid ones (U+FFFD), and valid
 * ones from U+0800 up (three bytes and more in UTF-8: CJK and beyond).
 */
function decodedCounts(encoding: CsvEncoding, bytes: Uint8Array, atEnd: boolean): { invalid: number; valid: number } {
  let invalid = 0;
  let valid = 0;
  for (const char of new TextDecoder(encoding).decode(bytes, { stream: !atEnd })) {
    if (char === '\ufffd') invalid++;
    else if (char.charCodeAt(0) >= 0x800) valid++;
  }
  return { invalid, valid };
}

/**
 * The encoding of text whose first non-ASCII byte starts `sample`.
 *
 * Why not "strict UTF-8, else strict GB18030": GB18030 accepts almost any pair
 * of high bytes, so UTF-8 Chinese whose non-ASCII runs have an even byte count
 * (two-character names: 6 bytes) with one damaged byte (a stray 0x80, a
 * character cut short) decodes as flawless GB18030; every row then loaded as
 * mojibake, silently. And GBK text with one invalid byte fitted neither, fell
 * to UTF-8, and every row holding Chinese was rejected.
 *
 * So: text that is mostly valid UTF-8 (at least 2 valid characters from
 * U+0800 up per invalid one) is damaged UTF-8. GBK read as UTF-8 gives 0.012
 * such characters per invalid one (at most 0.017 in any 100-character
 * stretch of the generator's Chinese vocabulary; no stretch of 1 to 10
 * characters that strict GB18030 recognised before is read otherwise now:
 * measured). Otherwise the encoding with fewer invalid characters wins (ties:
 * UTF-8), and the damaged rows are rejected one by one (bad_encoding). A
 * sample holding a single character stays ambiguous.
 */
export function chooseEncoding(sample: Uint8Array, atEnd: boolean): CsvEncoding {
  if (fitsStrictly('utf-8', sample, atEnd)) return 'utf-8';
  const utf8 = decodedCounts('utf-8', sample, atEnd);
  if (utf8.valid >= 2 * utf8.invalid) return 'utf-8';
  const gb18030 = decodedCounts('gb18030', sample, atEnd);
  return gb18030.invalid < utf8.invalid ? 'gb18030' : 'utf-8';
}

/** Reject files that are clearly not text, from their first bytes. */
function checkSignature(head: Uint8Array): void {
  const [b0, b1, b2, b3] = head;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    throw new FileRejection('bad_encoding', 'the file is UTF-16 text; save it as UTF-8 (or GB18030) CSV');
  }
  if (b0 === 0x1f && b1 === 0x8b) {
    throw new FileRejection('not_csv', 'the file is gzip-compressed but its name does not end in .gz; rename it to .csv.gz');
  }
  if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) {
    throw new FileRejection('not_csv', 'the file is a ZIP archive (an .xlsx workbook?); export the sheet as CSV');
  }
  if (b0 === 0xd0 && b1 === 0xcf && b2 === 0x11 && b3 === 0xe0) {
    throw new FileRejection('not_csv', 'the file is an old Excel (.xls) workbook; export the sheet as CSV');
  }
  if (head.subarray(0, BINARY_CHECK_BYTES).includes(0)) {
    throw new FileRejection('not_csv', 'the file contains binary data (NUL bytes), not CSV text');
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

// The caller may reuse its buffer after write() returns, so held bytes are
// copied. (Not .slice(): on a Node Buffer that is a view, not a copy.)
const copy = (bytes: Uint8Array) => new Uint8Array(bytes);

function firstNonAscii(bytes: Uint8Array): number {
  if (isAscii(bytes)) return -1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) return i;
  return -1;
}

function countReplacements(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\ufffd'); at !== -1; at = text.indexOf('\ufffd', at + 1)) count++;
  return count;
}

/** Streaming decoder for one file: write() each byte chunk, then end(). Throws FileRejection for non-text files. */
export class CsvDecoder {
  /** Decided encoding; null while only ASCII has been seen (or nothing). */
  encoding: CsvEncoding | null = null;
  /** Characters replaced by U+FFFD because their bytes were invalid. */
  replacements = 0;
  private decoder: TextDecoder | null = null;
  private held: Uint8Array = new Uint8Array(0);
  private signatureChecked = false;

  write(bytes: Uint8Array): string {
    return this.take(bytes, false);
  }

  end(): string {
    return this.take(new Uint8Array(0), true);
  }

  private take(bytes: Uint8Array, atEnd: boolean): string {
    if (this.decoder !== null) return this.decode(this.decoder, bytes, atEnd);

    let input = concat(this.held, bytes);
    this.held = new Uint8Array(0);
    if (!this.signatureChecked) {
      if (input.length < SIGNATURE_BYTES && !atEnd) {
        this.held = copy(input);
        return '';
      }
      this.signatureChecked = true;
      checkSignature(input);
      if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
        return this.decode(this.start('utf-8'), input, atEnd); // the decoder drops the BOM
      }
    }

    const first = firstNonAscii(input);
    if (first === -1) return asciiDecoder.decode(input);
    const ascii = asciiDecoder.decode(input.subarray(0, first));
    input = input.subarray(first);
    if (input.length < DECISION_WINDOW && !atEnd) {
      this.held = copy(input);
      return ascii;
    }
    // The sample is the whole rest of the file only if it is shorter than the window.
    const encoding = chooseEncoding(input.subarray(0, DECISION_WINDOW), atEnd && input.length <= DECISION_WINDOW);
    return ascii + this.decode(this.start(encoding), input, atEnd);
  }

  private start(encoding: CsvEncoding): TextDecoder {
    this.encoding = encoding;
    // ignoreBOM: false (the default) drops a leading BOM.
    this.decoder = new TextDecoder(encoding);
    return this.decoder;
  }

  private decode(decoder: TextDecoder, bytes: Uint8Array, atEnd: boolean): string {
    const text = decoder.decode(bytes, { stream: !atEnd });
    if (text.indexOf('\ufffd') !== -1) this.replacements += countReplacements(text);
    return text;
  }
}

/** Decode a stream of byte chunks (e.g. a file or gunzip stream) into text chunks. */
export async function* decodeCsv(chunks: AsyncIterable<Uint8Array>, decoder: CsvDecoder = new CsvDecoder()): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}
