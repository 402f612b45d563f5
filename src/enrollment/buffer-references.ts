/**
 * Enrolment records may point at buffers uploaded with createBuffer instead of embedding the bytes: an `imageRef`,
 * `templateRef` or `dataRef` holding the buffer's URL, absolute or relative
 * (`/enrollment/v1/enrollments/{enrollmentId}/buffer/{bufferId}`). Other URIs are the client's business.
 */
type Json = Record<string, unknown>;

const BUFFER_URL = /\/enrollment\/v1\/enrollments\/([^/?#]+)\/buffer\/([^/?#]+)$/;

export interface BufferReference {
  uri: string;
  enrollmentId: string;
  bufferId: string;
}

export function bufferUrl(enrollmentId: string, bufferId: string): string {
  return `/enrollment/v1/enrollments/${encodeURIComponent(enrollmentId)}/buffer/${encodeURIComponent(bufferId)}`;
}

/** Every reference to a buffer of this server in the content of an enrolment. */
export function bufferReferences(content: Json): BufferReference[] {
  const uris: unknown[] = [];
  for (const item of (content.biometricData as Json[] | undefined) ?? []) uris.push(item.imageRef, item.templateRef);
  for (const document of (content.documentData as Json[] | undefined) ?? []) {
    for (const part of (document.parts as Json[] | undefined) ?? []) uris.push(part.dataRef);
  }
  return uris.flatMap((uri) => {
    const match = typeof uri === 'string' ? BUFFER_URL.exec(uri) : null;
    if (!match) return [];
    try {
      return [{ uri: uri as string, enrollmentId: decodeURIComponent(match[1] ?? ''), bufferId: decodeURIComponent(match[2] ?? '') }];
    } catch {
      return [{ uri: uri as string, enrollmentId: '', bufferId: '' }];
    }
  });
}
