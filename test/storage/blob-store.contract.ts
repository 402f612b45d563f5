/** The behaviour every `BlobStore` adapter must show. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { BlobStore, Storage } from '../../src/storage/document-store.port.js';
import type { StorageHarness } from './document-store.contract.js';

export function blobStoreContract(adapter: string, harness: StorageHarness): void {
  describe(`BlobStore contract: ${adapter}`, () => {
    let storage: Storage | undefined;
    const blobs = (): BlobStore => storage?.blobs ?? assert.fail('storage is not open');
    before(async () => {
      storage = await harness.open();
    });
    after(async () => {
      await storage?.documents.close();
      await harness.cleanup();
    });

    it('stores bytes and content type and returns them byte-identical (several chunks, and empty)', async () => {
      const large = randomBytes(600 * 1024);
      const id = await blobs().put({ contentType: 'image/jp2', data: large });
      const emptyId = await blobs().put({ contentType: 'application/octet-stream', data: Buffer.alloc(0) });
      assert.notEqual(id, emptyId);
      const got = await blobs().get(id);
      assert.equal(got?.contentType, 'image/jp2');
      assert.ok(got?.data.equals(large));
      assert.deepEqual(await blobs().get(emptyId), { contentType: 'application/octet-stream', data: Buffer.alloc(0) });
    });

    it('deletes: true once, then false, and the blob is gone', async () => {
      const id = await blobs().put({ contentType: 'text/plain', data: Buffer.from('bye') });
      assert.equal(await blobs().delete(id), true);
      assert.equal(await blobs().delete(id), false);
      assert.equal(await blobs().get(id), undefined);
    });

    it('keeps blobs when the storage is closed and reopened', async () => {
      const id = await blobs().put({ contentType: 'application/pdf', data: Buffer.from('%PDF-1.7') });
      await storage?.documents.close();
      storage = await harness.open();
      assert.deepEqual(await blobs().get(id), { contentType: 'application/pdf', data: Buffer.from('%PDF-1.7') });
    });

    for (const invalid of ['', '../../etc/passwd', 'a/../b', '..', 'ABC', '%2e%2e%2f']) {
      it(`rejects the invalid id ${JSON.stringify(invalid)}`, async () => {
        await assert.rejects(blobs().get(invalid), RangeError);
        await assert.rejects(blobs().delete(invalid), RangeError);
      });
    }
  });
}
