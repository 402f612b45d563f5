/** The OSIA_EVENTS file: the shipped example loads; a bad file stops start-up with one line naming the problem. */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/config-options.js';
import { loadFlowConfig } from '../../src/flows/flow-config.js';
import { projectRoot } from '../../src/openapi/project-root.js';
import { createTestApp } from '../support/test-app.js';
import { eventsFile } from './flow-fixtures.js';

const rejects = async (yaml: string, pattern: RegExp) => {
  await assert.rejects(loadFlowConfig(await eventsFile(yaml)), (err: Error) => {
    assert.ok(err instanceof ConfigError, String(err));
    assert.match(err.message, /^OSIA_EVENTS \S+: /);
    assert.match(err.message, pattern);
    assert.doesNotMatch(err.message, /\n/);
    return true;
  });
};

describe('event wiring file', () => {
  it('loads the shipped example (docs/samples/events.yaml), its token files read once', async () => {
    const sample = await readFile(path.join(projectRoot(), 'docs', 'samples', 'events.yaml'), 'utf8');
    const file = await eventsFile('');
    const secrets = path.dirname(file);
    await writeFile(path.join(secrets, 'notification-token'), 'bus-token\n');
    await writeFile(path.join(secrets, 'civil-registry-token'), 'cr-token');
    await writeFile(file, sample.replaceAll('/run/secrets', secrets));
    const config = await loadFlowConfig(file);
    assert.equal(config.source, 'pr.example.gov');
    assert.deepEqual(config.components.pr?.engine, { url: 'https://bus.example.gov/notification', token: 'bus-token' });
    assert.deepEqual(config.components.cms?.subscribes, ['death']);
    assert.equal(config.topics.death, 'cr-death');
    assert.equal(config.topics.newPerson, 'newPerson');
    assert.equal(config.liveBirth?.civilRegistry.token, 'cr-token');
    assert.deepEqual(config.relay, { intervalMs: 1000, leaseMs: 30_000 });
    assert.equal(config.policy, '300,-1');
  });

  it('refuses unknown events, components and members, and reactions without what they need', async () => {
    await rejects('source: pr\ncomponents: { pr: { engine: local, subscribes: [marriage] } }', /subscribes\.0 must be equal to one of the allowed values/);
    await rejects('source: pr\ncomponents: { abis: { engine: local } }', /components must NOT have additional properties \(abis\)/);
    await rejects('source: pr\ncomponents: { cms: { engine: local, publishes: [newPerson] } }', /publishes must NOT have more than 0 items/);
    await rejects('source: pr\ncomponents: { pr: { engine: { url: "ftp://bus" , token: x } } }', /engine/);
    await rejects('source: pr\ncomponents: { pr: { engine: { url: "http://bus" } } }', /engine/);
    await rejects('source: pr\ncomponents: { pr: { engine: local, subscribes: [liveBirth] } }', /needs reactions\.liveBirth\.civilRegistry/);
    await rejects('source: pr\ncomponents: {}\nreactions: { death: { credentials: burn } }', /credentials must be equal to one of the allowed values/);
    await rejects('source: pr\ncomponents: { pr: { engine: { url: "http://bus", tokenFile: /nonexistent/token } } }', /tokenFile \/nonexistent\/token cannot be read \(ENOENT\)/);
    await rejects('components: {}', /must have required property 'source'/);
    await rejects('source: [', /OSIA_EVENTS/);
  });

  it('stops start-up when a component or its engine is not served', async () => {
    const local = await eventsFile('source: pr\ncomponents: { pr: { engine: local, publishes: [newPerson] } }');
    await assert.rejects(createTestApp({ interfaces: ['pr'], env: { OSIA_EVENTS: local } }), /local engine, which needs the notification interface served/);
    const cms = await eventsFile('source: pr\ncomponents: { cms: { engine: local, subscribes: [death] } }');
    await assert.rejects(createTestApp({ interfaces: ['pr', 'notification'], env: { OSIA_EVENTS: cms } }), /components\.cms needs the cms interface served/);
  });
});
