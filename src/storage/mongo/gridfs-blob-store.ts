/**
 * Blob bytes on MongoDB GridFS (bucket `blobs`): the bytes go to `blobs.chunks`, the content type to the file's
 * `metadata.contentType`. Ids are the files' ObjectIds in hexadecimal.
 */
import { finished } from 'node:stream/promises';
import { type Db, GridFSBucket, MongoRuntimeError, ObjectId } from 'mongodb';
import type { BlobBytes } from '../blobs/blob-bytes.js';
import type { Blob } from '../document-store.port.js';

const BLOB_ID = /^[0-9a-f]{24}$/;

export class GridFsBlobStore implements BlobBytes {
  readonly #bucket: GridFSBucket;

  constructor(db: Db) {
    this.#bucket = new GridFSBucket(db, { bucketName: 'blobs' });
  }

  newId(): string {
    return new ObjectId().toHexString();
  }

  async write(id: string, blob: Blob): Promise<void> {
    const metadata = { contentType: blob.contentType };
    const upload = this.#bucket.openUploadStreamWithId(toObjectId(id), id, { metadata });
    upload.end(blob.data);
    await finished(upload);
  }

  async get(id: string): Promise<Blob | undefined> {
    const objectId = toObjectId(id);
    const [file] = await this.#bucket.find({ _id: objectId }).limit(1).toArray();
    if (file === undefined) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of this.#bucket.openDownloadStream(objectId)) chunks.push(chunk as Buffer);
    return { contentType: String(file.metadata?.contentType), data: Buffer.concat(chunks) };
  }

  async delete(id: string): Promise<boolean> {
    try {
      await this.#bucket.delete(toObjectId(id));
      return true;
    } catch (error) {
      // The only runtime (not server) error GridFS delete raises is "File not found for id".
      if (error instanceof MongoRuntimeError) return false;
      throw error;
    }
  }
}

function toObjectId(id: string): ObjectId {
  if (!BLOB_ID.test(id)) throw new RangeError(`invalid blob id: ${JSON.stringify(id)}`);
  return new ObjectId(id);
}
