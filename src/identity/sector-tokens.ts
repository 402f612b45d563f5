/**
 * Sector-specific pseudonymous tokens: token = base64url(HMAC-SHA-256(secret, sector 0x00 UIN)). Two sectors get
 * unrelated tokens for one person, and nobody without the secret can compute or invert them. The server resolves a
 * token only in the sector it issued it to: each issued token is recorded (sector, token → UIN) in `tp_sector_tokens`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ConfigError } from '../config/config-options.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records } from '../storage/records.js';
import type { Store } from '../storage/store.js';
import { loadOrCreateSecret } from './key-files.js';
import { readYamlConfig } from '../config/yaml-config.js';

const MIN_SECRET_BYTES = 32;

/** One issued token, keyed `sector/token`, and the person it stands for. */
interface IssuedToken {
  _id: string;
  personId: string;
}

const TOKENS: RecordSpec<IssuedToken> = { name: 'tp_sector_tokens' };

/** OSIA_SECTORS: relying-party client id → sector, and the sector of callers not listed (or of all calls when auth is off). */
export interface SectorMap {
  clients: Record<string, string>;
  default?: string;
}

const SECTOR = { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' } as const;
const sectorsSchema = {
  type: 'object',
  properties: { clients: { type: 'object', additionalProperties: SECTOR }, default: SECTOR },
  additionalProperties: false,
} as const;

export async function loadSectorMap(file: string | undefined): Promise<SectorMap> {
  if (!file) return { clients: {} };
  const read = await readYamlConfig<Partial<SectorMap>>(file, 'OSIA_SECTORS', sectorsSchema);
  return { clients: read.clients ?? {}, ...(read.default ? { default: read.default } : {}) };
}

export class SectorTokens {
  private constructor(
    private readonly secret: Buffer,
    private readonly sectors: SectorMap,
    private readonly store: Store,
    private readonly issued: Records<IssuedToken>,
  ) {}

  static async open(store: Store, options: { dataDir: string; tokenSecret: string | undefined; sectors: SectorMap }) {
    const text = await loadOrCreateSecret(
      { file: options.tokenSecret, option: 'OSIA_TOKEN_SECRET' },
      { dataDir: options.dataDir, name: 'token-secret', generate: () => randomBytes(MIN_SECRET_BYTES).toString('base64url') },
    );
    const secret = Buffer.from(text.trim(), 'utf8');
    if (secret.length < MIN_SECRET_BYTES) throw new ConfigError(`OSIA_TOKEN_SECRET must hold at least ${MIN_SECRET_BYTES} bytes`);
    return new SectorTokens(secret, options.sectors, store, await store.records(TOKENS));
  }

  /** The caller's sector: its client's entry, else the default one; undefined means "no sector: sees UINs". */
  sectorOf(clientId: string | undefined): string | undefined {
    return (clientId === undefined ? undefined : this.sectors.clients[clientId]) ?? this.sectors.default;
  }

  /** The person's token in `sector`, recorded so that the sector can later use it as an identifier. */
  async issue(sector: string, uin: string): Promise<string> {
    const token = createHmac('sha256', this.secret).update(`${sector}\u0000${uin}`).digest('base64url');
    const _id = `${sector}/${token}`;
    // Recorded once: reads (attribute sets, identify results) hand the same token out again and again.
    if ((await this.issued.get(_id))?.personId !== uin) await this.store.commit([this.issued.put({ _id, personId: uin })]);
    return token;
  }

  /** The UIN behind a token issued to `sector`, or undefined. */
  async resolve(sector: string, token: string): Promise<string | undefined> {
    return (await this.issued.get(`${sector}/${token}`))?.personId;
  }
}
