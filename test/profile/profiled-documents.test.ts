/** Which components can be profiled, and what applying a profile changes in a served document (and what it doesn't). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadDocument, loadDocuments } from '../../src/openapi/documents.js';
import { INTERFACE_NAMES } from '../../src/openapi/interfaces.js';
import { freeFormComponents } from '../../src/profile/free-form-components.js';
import { loadServedDocuments } from '../../src/profile/served-documents.js';
import { EXAMPLE_PROFILE } from './profile-files.js';

describe('profiled documents', () => {
  it('finds the free-form components listed in docs/profile.md', async () => {
    const found = Object.fromEntries((await loadDocuments(INTERFACE_NAMES)).map((d) => [d.name, freeFormComponents(d.document).sort()]));
    assert.deepEqual(found, {
      enrollment: ['BiographicData', 'ContextualData', 'EnrollmentFlags', 'RequestData'],
      pr: ['BiographicData', 'ContextualData'],
      dataaccess: ['Attributes'],
      uin: ['Attributes'],
      notification: [],
      cms: ['BiographicData'],
      thirdparty: ['BiographicData', 'ContactData'],
      abis: ['BiographicData', 'ContextualData', 'Filter'],
    });
  });

  it('serves the published documents untouched when no profile is set', async () => {
    const served = await loadServedDocuments(INTERFACE_NAMES);
    const published = await loadDocuments(INTERFACE_NAMES);
    assert.deepEqual(served, published);
  });

  it('changes only the profiled components and the description of a document', async () => {
    const [pr] = await loadServedDocuments(['pr'], EXAMPLE_PROFILE);
    const published = await loadDocument('pr');
    assert.ok(pr);
    const strip = (document: typeof published.document) => {
      const copy = structuredClone(document);
      delete copy.components?.schemas?.BiographicData;
      delete copy.components?.schemas?.ContextualData;
      copy.info = { ...copy.info, description: '' } as typeof copy.info;
      return copy;
    };
    assert.deepEqual(strip(pr.document), strip(published.document));
    assert.notDeepEqual(pr.document.components?.schemas?.BiographicData, published.document.components?.schemas?.BiographicData);
    const { description } = pr.document.info as { description?: string };
    assert.match(String(description), /Country profile example\.yaml \(OSIA_PROFILE\) applied to: BiographicData, ContextualData\.\n$/);
  });

  it('leaves a document without profiled components byte for byte as published', async () => {
    const [notification] = await loadServedDocuments(['notification'], EXAMPLE_PROFILE);
    assert.equal(notification?.yaml, (await loadDocument('notification')).yaml);
  });

  it('serves YAML whose parse is the document the validator uses', async () => {
    for (const loaded of await loadServedDocuments(INTERFACE_NAMES, EXAMPLE_PROFILE)) {
      assert.deepEqual(parse(loaded.yaml), loaded.document, loaded.name);
    }
  });
});
