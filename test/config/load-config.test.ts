import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_OPTIONS, ConfigError } from '../../src/config/config-options.js';
import { helpText } from '../../src/config/help.js';
import { loadConfig } from '../../src/config/load-config.js';
import { SERVABLE_INTERFACES } from '../../src/openapi/interfaces.js';

function configOf(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const request = loadConfig(argv, env);
  assert.equal(request.help, false);
  return request.config;
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = configOf([]);
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, './data');
    assert.equal(config.mongodbUri, undefined);
    assert.deepEqual(config.interfaces, [...SERVABLE_INTERFACES], 'the eight OSIA interfaces and oidc');
    assert.equal(config.bodyLimit, '20mb');
  });

  it('reads environment variables, and flags win over them', () => {
    const env = { PORT: '9000', OSIA_DATA_DIR: '/var/osia', OSIA_INTERFACES: 'pr, uin', MONGODB_URI: 'mongodb://db:27017' };
    const config = configOf(['--port', '9100', '--interfaces=cms'], env);
    assert.equal(config.port, 9100);
    assert.equal(config.dataDir, '/var/osia');
    assert.deepEqual(config.interfaces, ['cms']);
    assert.equal(config.mongodbUri, 'mongodb://db:27017');
    assert.deepEqual(configOf([], env).interfaces, ['pr', 'uin']);
  });

  const refusals: [string, string[], NodeJS.ProcessEnv, RegExp][] = [
    ['a port out of range', [], { PORT: '70000' }, /PORT must be an integer from 0 to 65535/],
    ['a non-numeric port', ['--port', 'http'], {}, /--port must be an integer/],
    ['an unknown interface', [], { OSIA_INTERFACES: 'pr,foo' }, /OSIA_INTERFACES must list interfaces/],
    ['a bad MongoDB URI', [], { MONGODB_URI: 'http://db' }, /MONGODB_URI must start with mongodb:\/\//],
    ['a bad size', [], { OSIA_BODY_LIMIT: 'huge' }, /OSIA_BODY_LIMIT must be a size/],
    ['an unknown flag', ['--prot', '1'], {}, /unknown option --prot/],
    ['a flag without value', ['--port'], {}, /option --port needs a value/],
    ['a certificate without its key', [], { OSIA_TLS_CERT: 'c.pem' }, /OSIA_TLS_CERT and OSIA_TLS_KEY must be set together/],
    ['mutual TLS without TLS', [], { OSIA_TLS_CA: 'ca.pem' }, /OSIA_TLS_CA \(mutual TLS\) needs/],
    ['two key sources', [], { OSIA_JWKS_URL: 'https://idp/jwks', OSIA_JWT_PUBLIC_KEY: 'k.pem' }, /either OSIA_JWKS_URL or/],
    ['an HMAC algorithm', [], { OSIA_JWT_ALGORITHMS: 'RS256,HS256' }, /accepts RS\*, PS\*, ES\* and EdDSA/],
    ['the none algorithm', [], { OSIA_JWT_ALGORITHMS: 'none' }, /accepts RS\*/],
    ['an unknown OSIA_AUTH', [], { OSIA_AUTH: 'maybe' }, /OSIA_AUTH must be one of on, off/],
    ['the ABIS gateway without its URL', [], { OSIA_ABIS_ENGINE: 'gateway' }, /OSIA_ABIS_ENGINE=gateway needs OSIA_ABIS_GATEWAY_URL/],
    ['an ABIS gateway URL that is not http(s)', [], { OSIA_ABIS_GATEWAY_URL: 'ftp://abis' }, /OSIA_ABIS_GATEWAY_URL must be an http\(s\) URL/],
    ['an ABIS client certificate without its key', [], { OSIA_ABIS_GATEWAY_CLIENT_CERT: 'c.pem' }, /OSIA_ABIS_GATEWAY_CLIENT_CERT and OSIA_ABIS_GATEWAY_CLIENT_KEY/],
    ['ALL as the national gallery', [], { OSIA_ABIS_NATIONAL_GALLERY: 'ALL' }, /OSIA_ABIS_NATIONAL_GALLERY must name one gallery/],
  ];
  for (const [what, argv, env, reason] of refusals) {
    it(`refuses ${what} with a one-line reason`, () => {
      assert.throws(() => loadConfig(argv, env), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, reason);
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
    });
  }

  it('--help lists every flag and environment variable', () => {
    assert.deepEqual(loadConfig(['--help'], {}), { help: true });
    const help = helpText();
    for (const option of Object.values(CONFIG_OPTIONS)) {
      assert.ok(help.includes(option.flag), option.flag);
      assert.ok(help.includes(option.env), option.env);
    }
  });

  it('--help starts every description and every "env" line in one column', () => {
    const rows = helpText().split('\n').filter((line) => /^ {2}(--|-h)/.test(line) || /^ +env /.test(line));
    const column = (line: string) => (/^( {2}-\S*(?: <value>| --help)? +)\S/.exec(line)?.[1] ?? /^ +/.exec(line)?.[0] ?? '').length;
    const columns = new Set(rows.map(column));
    assert.equal(columns.size, 1, `description columns: ${[...columns].join(', ')}`);
    assert.ok(rows.length > Object.keys(CONFIG_OPTIONS).length * 2, 'every option has a flag and an env line');
  });
});
