/** The store decides uniqueness: a candidate already issued is replaced, and a streak of them ends clearly. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { InvalidError } from '../../src/shared/domain-errors.js';
import type { Collection } from '../../src/storage/document-store.port.js';
import { uinFormatOf } from '../../src/uin/uin-format.js';
import { createUinGenerator } from '../../src/uin/uin-generator.js';
import { ISSUED_UINS, MAX_ATTEMPTS, UinRegistry } from '../../src/uin/uin-registry.js';
import { useTestApp } from '../support/use-test-app.js';
import { scriptedRandom } from './scripted-random.js';
import { Store } from '../../src/storage/store.js';

const config = loadConfig([], {});
if (config.help) throw new Error('unreachable: no --help given');
const format = uinFormatOf(config.config);
const FIRST = [3, 1, 4, 1, 5, 9, 2, 6, 5];
const SECOND = [2, 7, 1, 8, 2, 8, 1, 8, 2];
const THIRD = [1, 4, 1, 4, 2, 1, 3, 5, 6];
const uinOf = (draws: number[]) => createUinGenerator(format, scriptedRandom(...draws).source)();

describe('UIN registry', () => {
  let issued: Collection;
  const t = useTestApp({ interfaces: ['uin'] });
  before(async () => {
    issued = await t.storage.documents.collection(ISSUED_UINS);
  });

  it('records the UIN with its transaction and issue time only', async () => {
    const registry = await UinRegistry.open(new Store(t.storage), createUinGenerator(format, scriptedRandom(...THIRD).source));
    const uin = await registry.issue('tx-record');
    assert.equal(uin, uinOf(THIRD));
    const record = await issued.get(uin);
    assert.deepEqual(Object.keys(record ?? {}).sort(), ['_id', 'issuedAt', 'transactionId']);
    assert.equal(record?.transactionId, 'tx-record');
    assert.ok(!Number.isNaN(Date.parse(String(record?.issuedAt))));
  });

  it('draws again when the first candidate was already issued, leaving the earlier record untouched', async () => {
    const taken = uinOf(FIRST);
    await issued.insert({ _id: taken, transactionId: 'tx-earlier', issuedAt: '2020-01-01T00:00:00.000Z' });
    const random = scriptedRandom(...FIRST, ...SECOND);
    const registry = await UinRegistry.open(new Store(t.storage), createUinGenerator(format, random.source));
    const uin = await registry.issue('tx-retry');
    assert.equal(uin, uinOf(SECOND));
    assert.notEqual(uin, taken);
    assert.equal(random.ranges.length, FIRST.length + SECOND.length, 'exactly one retry');
    assert.equal((await issued.get(taken))?.transactionId, 'tx-earlier');
    assert.equal((await issued.get(uin))?.transactionId, 'tx-retry');
  });

  it(`gives up after ${MAX_ATTEMPTS} issued candidates in a row with a 400 that says why`, async () => {
    const taken = uinOf(FIRST);
    const before = await issued.count();
    const random = scriptedRandom(...Array.from({ length: MAX_ATTEMPTS }, () => FIRST).flat());
    const registry = await UinRegistry.open(new Store(t.storage), createUinGenerator(format, random.source));
    await assert.rejects(registry.issue('tx-exhausted'), (err) => {
      assert.ok(err instanceof InvalidError);
      assert.match(err.message, new RegExp(`${MAX_ATTEMPTS} candidates in a row were already issued`));
      assert.match(err.message, /increase OSIA_UIN_LENGTH/);
      return true;
    });
    assert.equal(random.ranges.length, MAX_ATTEMPTS * FIRST.length, 'no draw beyond the budget');
    assert.equal(await issued.count(), before, 'nothing written');
    assert.equal((await issued.get(taken))?.transactionId, 'tx-earlier');
  });
});
