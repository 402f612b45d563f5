/**
 * oidc-provider's storage adapter on our store (ADR 0171): every model it persists (sessions, interactions, codes,
 * tokens, grants, pushed requests ...) is one `oidc_artifacts` record keyed `<model>/<id>`, so any number of
 * processes on one store (either adapter) share logins. The payload is kept as JSON text: its member names (resource
 * URLs, claim names) need not suit a store. Expiry is a stored `expiresAt` (the injected clock), checked on every read
 * and swept by a job; `consume` is a versioned write, so a code is consumed once even by racing processes.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Clock } from '../shared/clock.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Store } from '../storage/store.js';

export interface OidcArtifact {
  _id: string;
  model: string;
  payload: string;
  /** Epoch milliseconds; absent for an artifact that lives until destroyed. */
  expiresAt?: number;
  /** Epoch seconds of consumption (codes, refresh tokens rotated). */
  consumed?: number;
  /** The lookups oidc-provider makes besides the id, and the person's (to end their sessions). */
  uid?: string;
  grantId?: string;
  userCode?: string;
  accountId?: string;
}

export const OIDC_ARTIFACTS: RecordSpec<OidcArtifact> = {
  name: 'oidc_artifacts',
  indexes: [{ fields: ['model', 'uid'] }, { fields: ['model', 'grantId'] }, { fields: ['model', 'userCode'] }, { fields: ['accountId'] }, { fields: ['expiresAt'] }],
};

/** How many expired artifacts one sweep round deletes at most (the next round takes the rest). */
const SWEEP_BATCH = 500;

export class OidcArtifacts {
  private constructor(
    private readonly store: Store,
    readonly records: Records<OidcArtifact>,
    private readonly clock: Clock,
  ) {}

  static async open(store: Store, clock: Clock): Promise<OidcArtifacts> {
    return new OidcArtifacts(store, await store.records(OIDC_ARTIFACTS), clock);
  }

  /** The adapter of one model, as oidc-provider's `adapter` option builds it. */
  adapterFor = (model: string): Adapter => new ArtifactAdapter(model, this);

  live(artifact: OidcArtifact | undefined): AdapterPayload | undefined {
    if (!artifact || (artifact.expiresAt !== undefined && artifact.expiresAt <= this.clock().getTime())) return undefined;
    const payload = JSON.parse(artifact.payload) as AdapterPayload;
    return artifact.consumed === undefined ? payload : { ...payload, consumed: artifact.consumed };
  }

  async upsert(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const { uid, grantId, userCode, accountId } = payload;
    const expiresAt = expiresIn ? this.clock().getTime() + expiresIn * 1000 : undefined;
    const record: OidcArtifact = { _id: `${model}/${id}`, model, payload: JSON.stringify(payload), ...defined({ expiresAt, uid, grantId, userCode, accountId }) };
    await this.store.commit([this.records.put(record)]);
  }

  async consume(model: string, id: string): Promise<void> {
    await this.store.change(async () => {
      const read = await this.records.getVersioned(`${model}/${id}`);
      if (!read) return;
      await this.store.commit([this.records.put({ ...read.record, consumed: Math.floor(this.clock().getTime() / 1000) }, read)]);
    });
  }

  /** Deletes one artifact by its key: a filter on `_id` would be matched against every artifact. */
  async delete(model: string, id: string): Promise<void> {
    await this.store.commit([this.records.delete(`${model}/${id}`)]);
  }

  async deleteWhere(filter: Parameters<Records<OidcArtifact>['find']>[0]): Promise<OidcArtifact[]> {
    const found = await this.records.find(filter);
    await this.store.commit(found.map(({ _id }) => this.records.delete(_id)));
    return found;
  }

  /** Deletes the artifacts expired by now: one round of the sweep job. */
  async sweep(): Promise<number> {
    const expired = await this.records.select({ expiresAt: { $lte: this.clock().getTime() } }, ['_id'], { limit: SWEEP_BATCH });
    await this.store.commit(expired.map(({ _id }) => this.records.delete(_id)));
    return expired.length;
  }

  /** Every live artifact of the person (sessions, grants, tokens), deleted; the sessions are answered. */
  async endAccount(accountId: string): Promise<AdapterPayload[]> {
    const deleted = await this.deleteWhere({ accountId });
    return deleted.filter(({ model }) => model === 'Session').flatMap((artifact): AdapterPayload[] => {
      const payload = this.live(artifact);
      return payload ? [payload] : [];
    });
  }
}

function defined<T extends object>(members: T): Partial<T> {
  return Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined)) as Partial<T>;
}

class ArtifactAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly artifacts: OidcArtifacts,
  ) {}

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    return this.artifacts.upsert(this.model, id, payload, expiresIn);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.artifacts.live(await this.artifacts.records.get(`${this.model}/${id}`));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findOne({ model: this.model, uid });
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findOne({ model: this.model, userCode });
  }

  consume(id: string): Promise<void> {
    return this.artifacts.consume(this.model, id);
  }

  destroy(id: string): Promise<void> {
    return this.artifacts.delete(this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.artifacts.deleteWhere({ model: this.model, grantId });
  }

  async #findOne(filter: { model: string; uid?: string; userCode?: string }): Promise<AdapterPayload | undefined> {
    const [found] = await this.artifacts.records.find(filter, { limit: 1 });
    return this.artifacts.live(found);
  }
}
