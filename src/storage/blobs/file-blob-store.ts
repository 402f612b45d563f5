/**
 * Blob bytes on plain files, for the embedded store: `<dir>/<2 first id chars>/<id>` holds the bytes and
 * `<id>.json` beside it the content type. The two-character shard keeps directories small with millions of blobs.
 *
 * Each file is written durably (temp file, fsync, rename, fsync of the directory). The sidecar is written last and
 * removed first, so it marks a complete blob: a crash in between leaves at most an orphan data file, never a blob
 * without its bytes.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Blob } from '../document-store.port.js';
import type { BlobBytes } from './blob-bytes.js';

/** Ids are lowercase UUIDs; anything else (a path, `..`) is refused before it gets near the file system. */
const BLOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Sidecar {
  contentType: string;
}

export class FileBlobStore implements BlobBytes {
  private constructor(private readonly dir: string) {}

  static async open(dir: string): Promise<FileBlobStore> {
    await mkdir(dir, { recursive: true });
    return new FileBlobStore(dir);
  }

  newId(): string {
    return randomUUID();
  }

  async write(id: string, blob: Blob): Promise<void> {
    const shard = path.dirname(this.#file(id));
    if ((await mkdir(shard, { recursive: true })) !== undefined) await syncDirectory(this.dir);
    await writeAndSync(this.#file(id), blob.data);
    const sidecar: Sidecar = { contentType: blob.contentType };
    await writeAndSync(`${this.#file(id)}.json`, JSON.stringify(sidecar));
    await syncDirectory(shard);
  }

  async get(id: string): Promise<Blob | undefined> {
    const file = this.#file(id);
    try {
      const sidecar = JSON.parse(await readFile(`${file}.json`, 'utf8')) as Sidecar;
      return { contentType: sidecar.contentType, data: await readFile(file) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    const file = this.#file(id);
    try {
      await unlink(`${file}.json`);
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await rm(file, { force: true });
    return true;
  }

  #file(id: string): string {
    if (!BLOB_ID.test(id)) throw new RangeError(`invalid blob id: ${JSON.stringify(id)}`);
    return path.join(this.dir, id.slice(0, 2), id);
  }
}

/** Writes a temp file, fsyncs it and renames it into place, so `file` is either absent or complete. */
async function writeAndSync(file: string, data: Buffer | string): Promise<void> {
  const temp = `${file}.${randomUUID()}.tmp`;
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Makes renames and new entries in `dir` durable. Some platforms cannot fsync a directory; there it is skipped. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}
