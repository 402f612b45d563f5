/**
 * What the PR and the CMS do with a civil-registry event. Each reaction brings the registry to a state (the person
 * DEAD, the credentials suspended, the newborn recorded, the duplicates merged) and does nothing when it is there
 * already, so an event delivered twice changes nothing more. A reaction resolves a reason when it had nothing to
 * act on (an unknown uin: logged and acknowledged, see docs/behaviour/notification.md); it throws when the event
 * should come again (a store or a civil registry that failed).
 */
import type { CmsServices } from '../cms/cms-services.js';
import type { CredentialStatus } from '../credentials/credential-producer.port.js';
import { ConflictError } from '../shared/domain-errors.js';
import type { PrServices } from '../pr/pr-services.js';
import type { Clock } from '../shared/clock.js';
import { ignoringConflict } from '../shared/ignoring-conflict.js';
import type { StoredDocument } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Store } from '../storage/store.js';
import type { CivilRegistry } from './civil-registry.js';
import type { FlowConfig } from './flow-config.js';
import type { BirthEvent, DuplicateEvent, PersonEvent } from './event-messages.js';

/** Why nothing was done, or undefined when the reaction acted (or found its work done). */
export type Outcome = string | undefined;

export const DUPLICATE_FLAGS: RecordSpec<DuplicateFlag> = { name: 'pr_duplicate_flags' };

/** A duplicate left for an operator (`duplicatePerson.action: flag`, or a merge the PR refused). */
export interface DuplicateFlag extends StoredDocument {
  kept: string;
  duplicate: string;
  reason: string;
  flaggedAt: string;
  transactionId: string;
}

/** The identity a liveBirth creates under the newborn; one per person, so a repeated event finds it there. */
export const BIRTH_IDENTITY_ID = 'liveBirth';

const DEATH_REASON = 'death of the holder';

export class PrReactions {
  constructor(
    private readonly pr: PrServices,
    private readonly config: FlowConfig,
    private readonly civilRegistry: CivilRegistry | undefined,
    private readonly store: Store,
    private readonly flags: Records<DuplicateFlag>,
    private readonly clock: Clock,
  ) {}

  async death({ uin }: PersonEvent, transactionId: string): Promise<Outcome> {
    const person = await this.pr.persons.lookup(uin);
    if (!person) return 'no person with this uin';
    if (person.physicalStatus !== 'DEAD') await this.pr.persons.update(uin, { status: person.status, physicalStatus: 'DEAD' }, transactionId);
    return undefined;
  }

  /**
   * The newborn becomes a person with one VALID identity (`liveBirth`) holding the attributes the civil registry
   * answers, and the parents' uins and attributes in its contextualData (pr.yaml has no field for filiation); it is
   * made the reference unless the person had one already. Each step is skipped when done, so a repeat resumes.
   */
  async liveBirth(event: BirthEvent, transactionId: string): Promise<Outcome> {
    const birth = this.config.liveBirth;
    if (!birth || !this.civilRegistry) return 'no civil registry configured';
    const newborn = await this.civilRegistry.attributes(event.uin, birth.attributes);
    if (!newborn) return 'no such uin at the civil registry';
    const parents: Record<string, unknown> = {};
    for (const [member, uin] of [['parent1', event.uin1], ['parent2', event.uin2]] as const) {
      if (uin) parents[member] = { uin, ...(await this.civilRegistry.attributes(uin, birth.parentAttributes)) };
    }
    const identity = {
      identityType: birth.identityType,
      status: 'VALID',
      biographicData: newborn,
      contextualData: { registeredBy: 'liveBirth', ...(event.source ? { source: event.source } : {}), ...parents },
    };
    const { persons, identities, registry } = this.pr;
    await ignoringConflict(() => persons.create(event.uin, { status: 'ACTIVE', physicalStatus: 'ALIVE' }, transactionId));
    await ignoringConflict(() => identities.create(event.uin, BIRTH_IDENTITY_ID, identity, transactionId));
    const person = await registry.person(event.uin);
    if (person && !person.referenceId) await identities.defineReference(event.uin, BIRTH_IDENTITY_ID, transactionId);
    return undefined;
  }

  /** Merges each duplicate into the person kept, or flags it (by configuration, or when the merge is refused). */
  async duplicatePerson({ uin, duplicates }: DuplicateEvent, transactionId: string): Promise<Outcome> {
    if (!(await this.pr.persons.lookup(uin))) return 'no person with this uin (the one kept)';
    for (const duplicate of new Set(duplicates.filter((id) => id !== uin))) {
      if (this.config.duplicatePerson.action === 'flag') {
        await this.#flag(uin, duplicate, 'flagged by configuration', transactionId);
        continue;
      }
      // Gone: merged by an earlier delivery (or never here).
      if (!(await this.pr.persons.lookup(duplicate))) continue;
      try {
        await this.pr.persons.merge(uin, duplicate, transactionId);
      } catch (err) {
        // Refused (an identity id in both): the operator decides.
        if (!(err instanceof ConflictError)) throw err;
        await this.#flag(uin, duplicate, err.message, transactionId);
      }
    }
    return undefined;
  }

  async #flag(kept: string, duplicate: string, reason: string, transactionId: string): Promise<void> {
    const _id = `${encodeURIComponent(kept)}/${encodeURIComponent(duplicate)}`;
    await this.store.getOrInsert(this.flags, { _id, kept, duplicate, reason, flaggedAt: this.clock().toISOString(), transactionId });
  }
}

export class CmsReactions {
  constructor(
    private readonly cms: CmsServices,
    private readonly config: FlowConfig,
  ) {}

  /** Every credential of the person still in force goes to SUSPENDED or REVOKED (by configuration). */
  async death({ uin }: PersonEvent, transactionId: string): Promise<Outcome> {
    const revoke = this.config.death.credentials === 'revoke';
    const target: CredentialStatus = revoke ? 'REVOKED' : 'SUSPENDED';
    const from: readonly string[] = revoke ? ['ACTIVE', 'SUSPENDED', 'OTHER'] : ['ACTIVE'];
    const held = await this.cms.credentials.find([{ attributeName: 'personId', operator: '=', value: uin }]);
    if (held.length === 0) return 'no credential of this person';
    for (const credential of held.filter((item) => from.includes(item.status))) {
      await this.cms.credentials.changeStatus(credential.credentialId, { status: target }, { reason: DEATH_REASON, transactionId });
    }
    return undefined;
  }
}
