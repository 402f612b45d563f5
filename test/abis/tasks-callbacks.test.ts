/**
 * Every ABIS operation that takes a `callback` (abis.yaml, in document order, on requests built from the document):
 * 202 {taskId}, then a POST whose body its callback's description accepts, the payload as application/json or the
 * Error as application/error+json. The response validator checks our answers, not what we send to a callback: the
 * callbacks' request bodies are checked here against the document with ajv.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { validRequest } from '../../src/check/sample-request.js';
import { listOperations, loadDocument, type SchemaObject } from '../../src/openapi/documents.js';
import { fakeClock } from '../support/fake-clock.js';
import { type Received, type Receiver, startReceiver } from '../support/receiver.js';
import { useTestApp } from '../support/use-test-app.js';

type Content = Record<string, { schema: SchemaObject }>;
type Callbacks = Record<string, Record<string, { post: { requestBody: { content: Content } } }>>;

const { document } = await loadDocument('abis');
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema({ components: document.components }, 'doc');
const validator = (schema: SchemaObject) => ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')));

const WITH_CALLBACK = listOperations(document).flatMap((entry) => {
  const callbacks = (entry.operation as { callbacks?: Callbacks }).callbacks;
  const [name, expressions] = Object.entries(callbacks ?? {})[0] ?? [];
  const content = expressions && Object.values(expressions)[0]?.post.requestBody.content;
  return name && content ? [{ entry, name, content }] : [];
});

describe('ABIS callbacks against abis.yaml', () => {
  const t = useTestApp({ interfaces: ['abis'], clock: fakeClock(), env: { OSIA_ABIS_CALLBACK_ALLOW: '127.0.0.0/8' } });
  let receiver: Receiver;
  const kinds = new Map<string, number>();
  before(async () => {
    receiver = await startReceiver('/abis-client');
    receiver.status = 204;
    // The sample requests name `sample-<parameter>`: this person exists until deleteAll (in document order) removes it.
    const encounter = {
      status: 'ACTIVE',
      encounterType: 'ENROLMENT',
      galleries: ['sample-galleryId'],
      biometricData: [{ biometricType: 'FINGER', image: Buffer.from('fingerprint').toString('base64') }],
    };
    for (const [person, id] of [['sample-personId', 'sample-encounterId'], ['sample-personIdSource', 'sample-encounterId']]) {
      await request(t.app).post(`/abis/v1/persons/${person}/encounters/${id}?transactionId=tx`).send(encounter).expect(200);
    }
  });
  after(() => receiver.close());

  it('covers the 20 operations with a callback', () => {
    assert.equal(WITH_CALLBACK.length, 20);
  });

  for (const { entry, name, content } of WITH_CALLBACK) {
    it(`${entry.operationId}: 202, then ${name} gets a body its description accepts`, async () => {
      const sample = validRequest(entry, document, '/abis');
      const url = `${sample.url}&callback=${encodeURIComponent(receiver.url)}`;
      const res = await request(t.app)[entry.method](url).set(sample.headers).send(sample.body as object);
      assert.equal(res.status, 202, res.text);
      const tasks = t.services.abisTasks;
      assert.ok(tasks);
      await tasks.runner.runOnce();
      await tasks.delivery.runOnce();
      const delivered = receiver.received.filter((r: Received) => new URL(r.url, 'http://receiver').searchParams.get('taskId') === res.body.taskId);
      assert.equal(delivered.length, 1);
      const [got] = delivered as [Received];
      const type = String(got.headers['content-type']);
      const media = content[type];
      assert.ok(media, `${type} is a media type of ${name}`);
      const validate = validator(media.schema);
      assert.ok(validate(got.body), `${JSON.stringify(got.body).slice(0, 300)}: ${ajv.errorsText(validate.errors)}`);
      kinds.set(type, (kinds.get(type) ?? 0) + 1);
    });
  }

  // The sample bodies hold no real image (their FACE items answer 400): most callbacks carry an Error.
  it('saw both results and errors', () => {
    assert.ok((kinds.get('application/json') ?? 0) >= 1, JSON.stringify([...kinds]));
    assert.ok((kinds.get('application/error+json') ?? 0) >= 1, JSON.stringify([...kinds]));
  });
});
