/** Reads a `multipart/mixed` response back into its parts, to compare the delivered bytes. */
import type { Response } from 'superagent';

export interface ParsedPart {
  headers: Record<string, string>;
  data: Buffer;
}

/** For supertest's `.parse()`: keeps the raw body as a Buffer (superagent would hand multipart to a form parser). */
export function rawBody(res: Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

export function parseMultipart(contentType: string, body: Buffer): ParsedPart[] {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: ParsedPart[] = [];
  let start = body.indexOf(delimiter);
  if (start !== 0) throw new Error('the body must open with the boundary');
  for (;;) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), afterDelimiter);
    if (next < 0) throw new Error('missing closing boundary');
    const part = body.subarray(afterDelimiter + 2, next);
    const split = part.indexOf('\r\n\r\n');
    const headers = Object.fromEntries(
      part
        .subarray(0, split)
        .toString('utf8')
        .split('\r\n')
        .map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
    );
    parts.push({ headers, data: part.subarray(split + 4) });
    start = next + 2;
  }
  return parts;
}
