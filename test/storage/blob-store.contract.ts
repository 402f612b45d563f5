/** The behaviour every `BlobStore` adapter must show. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type BlobStore, type Storage, VersionConflictError, type WriteOp } from '../../src/storage/document-store.port.js';
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

    describe('claims and the sweep', () => {
      const later = () => new Date(Date.now() + 60_000);
      const put = (text: string) => blobs().put({ contentType: 'text/plain', data: Buffer.from(text) });
      const commit = (ops: WriteOp[]) => storage?.documents.applyAtomically(ops) ?? assert.fail('storage is not open');

      it('sweeps a blob nobody claimed (a failed write, a crash before the commit) and keeps a claimed one', async () => {
        const orphan = await put('never claimed');
        const kept = await put('claimed');
        await commit(blobs().claim([kept]));
        assert.ok((await blobs().sweep(later())) >= 1);
        assert.equal(await blobs().get(orphan), undefined);
        assert.equal((await blobs().get(kept))?.data.toString(), 'claimed');
      });

      it('leaves blobs younger than the cut-off alone', async () => {
        const young = await put('young');
        await blobs().sweep(new Date(Date.now() - 60_000));
        assert.equal((await blobs().get(young))?.data.toString(), 'young');
        await blobs().delete(young);
      });

      it('sweeps a released blob, so a crash between the release and the delete orphans nothing', async () => {
        const id = await put('released');
        await commit(blobs().claim([id]));
        await commit(blobs().release([id]));
        await blobs().sweep(later());
        assert.equal(await blobs().get(id), undefined);
      });

      it('fails the batch that claims a swept blob, and claims only once', async () => {
        const swept = await put('swept');
        await blobs().sweep(later());
        await assert.rejects(commit(blobs().claim([swept])), VersionConflictError);
        const once = await put('once');
        await commit(blobs().claim([once]));
        await assert.rejects(commit(blobs().claim([once])), VersionConflictError);
      });

      it('lets exactly one of a claim and a racing sweep win', async () => {
        const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => put(`race ${i}`)));
        const claiming = Promise.allSettled(ids.map((id) => commit(blobs().claim([id]))));
        await Promise.all([claiming, blobs().sweep(later())]);
        const claims = await claiming;
        for (const [i, id] of ids.entries()) {
          const present = (await blobs().get(id)) !== undefined;
          assert.equal(present, claims[i]?.status === 'fulfilled', `blob ${i}: present exactly when its claim succeeded`);
        }
      });
    });

    for (const invalid of ['', '../../etc/passwd', 'a/../b', '..', 'ABC', '%2e%2e%2f']) {
      it(`rejects the invalid id ${JSON.stringify(invalid)}`, async () => {
        await assert.rejects(blobs().get(invalid), RangeError);
        await assert.rejects(blobs().delete(invalid), RangeError);
      });
    }
  });
}
