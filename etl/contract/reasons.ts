// Why an input file or row was not loaded. Every quarantined row and every
// rejected file carries exactly one of these codes, so counts can be grouped by
// reason in the run report and the codes are stable across releases: add new
// codes, never rename one (old quarantine rows refer to them).

export const REASONS = {
  // Whole file: nothing from the file is loaded.
  missing_required_column: 'the header lacks a required column (whole file rejected)',
  duplicate_column: 'a contract column appears twice in the header (whole file rejected)',
  not_csv: 'the file is not comma-separated text (binary, spreadsheet, wrong delimiter)',
  bad_encoding: 'the bytes are not valid UTF-8 or GB18030 text',
  corrupt_gzip: 'the .gz file cannot be decompressed',
  empty_file: 'the file has no header row',

  // One row: the row is quarantined verbatim with its line number.
  wrong_field_count: 'the row has a different number of fields than the header',
  unbalanced_quote: 'a quoted field is not closed properly',
  missing_value: 'a required field is empty',
  bad_number: 'not a plain decimal number',
  negative_kwh: 'energy (kWh) is negative',
  bad_date: 'not a real calendar date in YYYY-MM-DD form',
  bad_timestamp: 'not a valid timestamp (YYYY-MM-DD HH:MM[:SS] or ISO 8601)',
  bad_bool: 'not a recognised yes/no value',
  bad_enum: 'not one of the allowed values',
  out_of_range: 'a number outside its allowed range',
  bad_interval: 'interval_minutes is not 15, 30, 60 or 1440',
  date_order: 'a date or time is earlier than the one it must follow',
  text_too_long: 'a text field is longer than allowed',
  unknown_customer: 'the customer_id does not match any known customer',

  // Not a rejection: a row replaced by a later row with the same key. Counted so
  // the run report can say how many corrections arrived.
  duplicate_key: 'superseded by a later row with the same key',
} as const;

export type ReasonCode = keyof typeof REASONS;

/** Codes that reject a whole file rather than one row. */
export const FILE_REASONS = [
  'missing_required_column',
  'duplicate_column',
  'not_csv',
  'bad_encoding',
  'corrupt_gzip',
  'empty_file',
] as const satisfies readonly ReasonCode[];

export type FileReasonCode = (typeof FILE_REASONS)[number];

/**
 * Thrown by stream stages (the decoder) when a whole file must be rejected.
 * Pure functions return results instead; a stream stage throws because that is
 * how a pipeline stops, and the ingest catches it per file.
 */
export class FileRejection extends Error {
  readonly code: FileReasonCode;
  constructor(code: FileReasonCode, message: string) {
    super(message);
    this.name = 'FileRejection';
    this.code = code;
  }
}
