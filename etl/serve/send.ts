// Writing responses (the I/O edge of server.ts): a file with its best
// precompressed variant, an in-memory body compressed once, a small JSON
// answer. Every representation gets a content ETag and answers
// If-None-Match with 304; HEAD gets the headers only.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type http from 'node:http';
import zlib from 'node:zlib';
import type { Logger } from '../log.ts';
import { etagMatches, negotiateEncoding, type Encoding } from './http-policy.ts';
import { etagOf, freshVariants, type FoundFile } from './static-files.ts';

export interface Representation {
  contentType: string;
  cacheControl: string;
  /** Whether a compressed variant may be sent (then Vary: Accept-Encoding). */
  compressible: boolean;
  /** Request headers the response depends on besides Accept-Encoding (e.g. Cookie). */
  vary?: readonly string[];
  headers?: Readonly<Record<string, string>>;
}

function headersOf(rep: Representation, etag: string, encoding: Encoding): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': rep.contentType,
    'Cache-Control': rep.cacheControl,
    ETag: etag,
    'X-Content-Type-Options': 'nosniff',
  };
  const vary = [...(rep.compressible ? ['Accept-Encoding'] : []), ...(rep.vary ?? [])];
  if (vary.length) headers.Vary = vary.join(', ');
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  if (rep.headers) Object.assign(headers, rep.headers);
  return headers;
}

/** Sends `file` (or its precompressed variant the client prefers); missing variants are made later through `precompressLater`. */
export async function sendFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: FoundFile,
  rep: Representation,
  o: { precompressLater: (file: FoundFile) => void; logger?: Logger },
): Promise<void> {
  const variants = rep.compressible ? await freshVariants(file) : new Map<Encoding, FoundFile>();
  if (rep.compressible && variants.size < 2) o.precompressLater(file);
  const encoding = negotiateEncoding(req.headers['accept-encoding'], [...variants.keys()]);
  const body = encoding === 'identity' ? file : variants.get(encoding)!;
  const etag = await etagOf(body);
  const headers = headersOf(rep, etag, encoding);
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  headers['Content-Length'] = body.stat.size;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(body.path)
    .on('error', (err) => {
      o.logger?.warn('serve_read_failed', { file: body.path, err });
      res.destroy(err);
    })
    .pipe(res);
}

/** A body held in memory in every encoding, each with its ETag. */
export interface MemoryBody {
  variants: Map<Encoding, { bytes: Buffer; etag: string }>;
}

function contentEtag(bytes: Buffer): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
}

/** Compresses `bytes` once (brotli 11, gzip 9: meant for small bodies such as a manifest). */
export function memoryBody(bytes: Buffer): MemoryBody {
  const br = zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT } });
  const gzip = zlib.gzipSync(bytes, { level: 9 });
  return {
    variants: new Map<Encoding, { bytes: Buffer; etag: string }>([
      ['identity', { bytes, etag: contentEtag(bytes) }],
      ['br', { bytes: br, etag: contentEtag(br) }],
      ['gzip', { bytes: gzip, etag: contentEtag(gzip) }],
    ]),
  };
}

export function sendMemory(req: http.IncomingMessage, res: http.ServerResponse, body: MemoryBody, rep: Representation): void {
  const available = rep.compressible ? ([...body.variants.keys()].filter((e) => e !== 'identity') as Encoding[]) : [];
  const encoding = negotiateEncoding(req.headers['accept-encoding'], available);
  const chosen = body.variants.get(encoding)!;
  const headers = headersOf(rep, chosen.etag, encoding);
  if (etagMatches(req.headers['if-none-match'], chosen.etag)) {
    res.writeHead(304, headers).end();
    return;
  }
  headers['Content-Length'] = chosen.bytes.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : chosen.bytes);
}

/** A small JSON answer that no cache keeps (errors, the session). */
export function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const body = JSON.stringify(value) + '\n';
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
