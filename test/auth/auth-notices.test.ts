/** What the operator is told about authentication: loudly and every minute when it is off. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it, mock } from 'node:test';
import pino from 'pino';
import { announceAuthentication } from '../../src/auth/auth-notices.js';
import { loadConfig } from '../../src/config/load-config.js';

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, sink) };
}

function configWith(env: NodeJS.ProcessEnv) {
  const request = loadConfig([], env);
  assert.equal(request.help, false);
  return request.config;
}

it('warns at start-up and once a minute while OSIA_AUTH=off', () => {
  mock.timers.enable({ apis: ['setInterval'] });
  try {
    const { lines, logger } = capture();
    const stop = announceAuthentication(configWith({ OSIA_AUTH: 'off' }), logger);
    assert.equal(lines.length, 1);
    mock.timers.tick(60_000);
    mock.timers.tick(60_000);
    assert.equal(lines.length, 3);
    assert.ok(lines.every((line) => line.level === 40 && /AUTHENTICATION IS OFF/.test(line.msg)));
    stop();
    mock.timers.tick(60_000);
    assert.equal(lines.length, 3, 'the reminder stops with the server');
  } finally {
    mock.timers.reset();
  }
});

it('says how to mint a token when the development key is in use, and nothing when an issuer is configured', () => {
  const dev = capture();
  announceAuthentication(configWith({}), dev.logger);
  assert.equal(dev.lines.length, 1);
  assert.match(dev.lines[0]?.msg ?? '', /npm run -s token -- --scope/);
  const configured = capture();
  announceAuthentication(configWith({ OSIA_JWKS_URL: 'https://idp.example/jwks.json' }), configured.logger);
  assert.deepEqual(configured.lines, []);
});
