/**
 * readDocument: the parts of the reference identity's documents of one type, in the requested format. The server
 * does not convert between formats, so a document stored only in another format is a 415.
 */
import { NotFoundError, UnsupportedError } from '../shared/domain-errors.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { type BodyPart, multipartMixed } from './multipart-body.js';
import { loadReference } from './reference-attributes.js';

interface MediaType {
  type: string;
  extension: string;
  aliases: string[];
  magic: Buffer;
}

/** The formats OSIA lists for documents; `TBD`, its placeholder, has none. */
const MEDIA_TYPES = new Map<string, MediaType>([
  ['pdf', { type: 'application/pdf', extension: 'pdf', aliases: [], magic: Buffer.from('%PDF-') }],
  ['jpeg', { type: 'image/jpeg', extension: 'jpg', aliases: ['image/jpg', 'image/pjpeg'], magic: Buffer.from([0xff, 0xd8, 0xff]) }],
  ['png', { type: 'image/png', extension: 'png', aliases: [], magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) }],
]);

interface StoredPart {
  data: Buffer;
  mimeType: string | undefined;
}

export interface DocumentRequest {
  uin: string;
  doctype: string;
  format: string;
  secondaryUin?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Inline parts of the identity's documents of this type (matched on documentType or documentTypeOther, any case). */
function partsOfType(identity: Record<string, unknown>, doctype: string): StoredPart[] | undefined {
  const wanted = doctype.toLowerCase();
  const documents = (Array.isArray(identity.documentData) ? identity.documentData : []).filter(
    (doc): doc is Record<string, unknown> =>
      isRecord(doc) &&
      [doc.documentType, doc.documentTypeOther].some((type) => typeof type === 'string' && type.toLowerCase() === wanted),
  );
  if (documents.length === 0) return undefined;
  // Parts held by reference only (`dataRef`) have no bytes here to deliver.
  return documents.flatMap((doc) => (Array.isArray(doc.parts) ? doc.parts : [])).flatMap((part) =>
    isRecord(part) && typeof part.data === 'string'
      ? [{ data: Buffer.from(part.data, 'base64'), mimeType: typeof part.mimeType === 'string' ? part.mimeType : undefined }]
      : [],
  );
}

/** The declared media type decides; a part without one is recognised from its first bytes. */
function isInFormat(part: StoredPart, media: MediaType): boolean {
  if (!part.mimeType) return part.data.subarray(0, media.magic.length).equals(media.magic);
  const declared = part.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  return declared === media.type || media.aliases.includes(declared);
}

export async function readDocument(registry: PopulationRegistry, request: DocumentRequest) {
  const { uin, doctype, format, secondaryUin } = request;
  const primary = await loadReference(registry, uin);
  const media = MEDIA_TYPES.get(format);
  if (!media) throw new UnsupportedError(`format ${format} cannot be delivered: ask for pdf, jpeg or png`);
  let parts = partsOfType(primary.identity, doctype);
  if (!parts) throw new NotFoundError(`person ${uin} has no document of type ${doctype}`);
  if (parts.length === 0) {
    throw new NotFoundError(`the ${doctype} document of person ${uin} has no embedded content (only dataRef links)`);
  }
  if (secondaryUin !== undefined) {
    // A document about two persons (a marriage certificate) is recorded with both: keep the parts both hold.
    const secondary = partsOfType((await loadReference(registry, secondaryUin)).identity, doctype) ?? [];
    parts = parts.filter((part) => secondary.some((other) => other.data.equals(part.data)));
    if (parts.length === 0) {
      throw new NotFoundError(`no document of type ${doctype} concerns both person ${uin} and person ${secondaryUin}`);
    }
  }
  const served = parts.filter((part) => isInFormat(part, media));
  if (served.length === 0) {
    throw new UnsupportedError(`the ${doctype} document of person ${uin} is not available as ${format}`);
  }
  const bodyParts: BodyPart[] = served.map((part, index) => ({
    contentType: media.type,
    filename: `document-${index + 1}.${media.extension}`,
    data: part.data,
  }));
  return multipartMixed(bodyParts);
}
