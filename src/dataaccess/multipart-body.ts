/** A `multipart/mixed` body (RFC 2046 §5.1) built by hand: binary parts need no encoding over HTTP. */
import { randomBytes } from 'node:crypto';

export interface BodyPart {
  contentType: string;
  filename: string;
  data: Buffer;
}

function freshBoundary(parts: readonly BodyPart[]): string {
  for (;;) {
    // 128 random bits: a clash with the content is only theoretical, but it costs nothing to rule out.
    const boundary = `osia-${randomBytes(16).toString('hex')}`;
    if (!parts.some((part) => part.data.includes(boundary))) return boundary;
  }
}

export function multipartMixed(parts: readonly BodyPart[]): { contentType: string; body: Buffer } {
  const boundary = freshBoundary(parts);
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const headers = [
      `--${boundary}`,
      `Content-Type: ${part.contentType}`,
      // `documents` is the property name the OpenAPI document gives these parts.
      `Content-Disposition: attachment; name="documents"; filename="${part.filename}"`,
      '',
      '',
    ].join('\r\n');
    chunks.push(Buffer.from(headers, 'utf8'), part.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
