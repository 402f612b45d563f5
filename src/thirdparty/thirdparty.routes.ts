/** The Third Party Services interface (`openapi/thirdparty.yaml`, mounted at `/thirdparty`): one handler per operationId. */
import { createHash, randomUUID } from 'node:crypto';
import type { components, operations } from '../../generated/thirdparty.js';
import { InvalidError, NotFoundError } from '../shared/domain-errors.js';
import { ForbiddenError, HttpError } from '../errors/http-errors.js';
import type { CallContext, HandlerMap } from '../http/operation-types.js';
import { selectedNames, selectionOf } from './attribute-output.js';
import { credentialState } from './credential-validity.js';
import { identifyQuery, searchPersons } from './identify-query.js';
import type { ResolvedPerson } from './person-resolver.js';
import type { Caller, ThirdPartyServices } from './thirdparty-services.js';
import { VERIFICATION, verifyAttributes } from './verification.js';
import type { InterfaceModule } from '../http/interface-module.js';

type AttributeSet = components['schemas']['AttributeSet'];
type Json = Record<string, unknown>;

/** Persons an identify by biometrics asks the ABIS for, best first (then narrowed by the other attributes). */
const BIOMETRIC_CANDIDATES = 100;

/** What a proof says about the identifier: a hash, so that a kept proof never discloses a UIN. */
const identifierHash = (type: string, identifier: string) => createHash('sha256').update(`${type}:${identifier}`).digest('base64url');

const RESPOND_ASYNC = /(^|[,;\s])respond-async\s*(,|;|$)/i;

function createThirdPartyHandlers(services: ThirdPartyServices): HandlerMap<operations> {
  const { resolver, sets, tasks, registry, credentials, signer, biometrics } = services;

  /** Reads need a credential in force when the identifier is a credential number: a revoked or expired card opens nothing. */
  const readable = (subject: ResolvedPerson) => {
    if (subject.credential && credentialState(subject.credential, services.clock()) !== 'IN_FORCE') {
      throw new NotFoundError('No credential in force with this number');
    }
    return subject;
  };

  const setNamed = (name: string) => sets.get(name);

  /** One AttributeSet per person found, in search order; persons who lost their reference meanwhile are left out. */
  const identifyOutput = async (personIds: readonly string[], setName: string, caller: Caller, context: CallContext): Promise<AttributeSet[]> => {
    const spec = setNamed(setName);
    if (!spec) throw new NotFoundError(`The attribute set ${setName} is no longer configured`);
    const out: AttributeSet[] = [];
    context.touchAttributes(selectedNames(spec));
    for (const uin of personIds) {
      const identity = (await registry.readReference(uin))?.identity;
      if (identity) out.push(await services.attributesOf(spec, uin, identity, caller));
    }
    return out;
  };

  return {
    verify: async ({ path, query, body, context }) => {
      const identifierType = query.identifierType ?? 'uin';
      const subject = await resolver.resolve(path.identifier, identifierType, services.callerOf(context.principal).sector);
      context.touchPersons([subject.uin]);
      const biometricCheck = biometrics && ((items: Json[]) => biometrics.verify(subject.uin, items, query.transactionId));
      const credentialsOf = () => credentials.listForPerson(subject.uin);
      const { outcome, attributes } = await verifyAttributes(body, subject, credentialsOf, services.clock(), biometricCheck);
      context.touchAttributes(attributes);
      const result = { verificationCode: outcome.code, verificationMessage: outcome.message };
      if (outcome !== VERIFICATION.MATCH || query.verificationProofRequired === false) return { status: 200, body: result };
      const verificationProof = await signer.sign({
        jti: randomUUID(),
        transactionId: query.transactionId,
        identifierType,
        identifierHash: identifierHash(identifierType, path.identifier),
        attributes,
        result: outcome.code,
        message: outcome.message,
      });
      return { status: 200, body: { ...result, verificationProof } };
    },

    readAttributeSet: async ({ path, query, context }) => {
      const spec = setNamed(path.attributeSetName);
      if (!spec) throw new NotFoundError(`Unknown attribute set ${path.attributeSetName}`);
      const caller = services.callerOf(context.principal);
      const subject = readable(await resolver.resolve(path.identifier, query.identifierType, caller.sector));
      context.touchPersons([subject.uin]);
      context.touchAttributes(selectedNames(spec));
      return { status: 200, body: await services.attributesOf(spec, subject.uin, subject.identity, caller) };
    },

    readAttributes: async ({ path, query, body, context }) => {
      const spec = selectionOf(body);
      if (Object.values(spec).every((section) => Object.keys(section).length === 0)) {
        throw new InvalidError('readAttributes needs at least one output attribute');
      }
      const caller = services.callerOf(context.principal);
      const subject = readable(await resolver.resolve(path.identifier, query.identifierType, caller.sector));
      context.touchPersons([subject.uin]);
      context.touchAttributes(selectedNames(spec));
      return { status: 200, body: await services.attributesOf(spec, subject.uin, subject.identity, caller) };
    },

    identify: async ({ query, body, context }) => {
      const setName = body.outputAttributeSetName;
      if (!setNamed(setName)) throw new NotFoundError(`Unknown attribute set ${setName} (outputAttributeSetName)`);
      const caller = services.callerOf(context.principal);
      // identify answers attribute sets: it must not open a set the caller may not read directly.
      const needed = `id.${setName}.read`;
      if (caller.scopes && !caller.scopes.has(needed)) throw new ForbiddenError(`identify with ${setName} needs the scope "${needed}"`, needed);
      const biometricSearch =
        biometrics && (async (items: Json[]) => (await biometrics.identify(items, query.transactionId, BIOMETRIC_CANDIDATES)).map(({ personId }) => personId));
      const search = await identifyQuery(body.attributeSet, credentials, services.clock(), biometricSearch);
      if (!RESPOND_ASYNC.test(context.prefer ?? '')) {
        const found = await searchPersons(registry, search, services.identifySyncLimit + 1);
        if (found.length <= services.identifySyncLimit) {
          if (found.length === 0) throw new NotFoundError('No person matches');
          context.touchPersons(found);
          return { status: 200, body: await identifyOutput(found, setName, caller, context) };
        }
      }
      const taskId = await tasks.start(search, { ...(caller.clientId ? { clientId: caller.clientId } : {}), outputAttributeSetName: setName });
      return { status: 202, body: { taskId } };
    },

    readIdentifyResult: async ({ path, context }) => {
      const caller = services.callerOf(context.principal);
      const state = await tasks.read(path.taskID, caller.clientId);
      if (!state) throw new NotFoundError('Unknown or expired identify task');
      if (state.status === 'RUNNING') return { status: 204 };
      if (state.status === 'FAILED') throw new HttpError(500, 'The identify search failed; start a new identify');
      context.touchPersons(state.personIds);
      return { status: 200, body: await identifyOutput(state.personIds, state.owner.outputAttributeSetName, caller, context) };
    },
  };
}

/** The identifier names a person when it is a UIN (the default type); it is never kept as a record id. */
export const thirdPartyInterface: InterfaceModule<ThirdPartyServices> = {
  name: 'thirdparty',
  createHandlers: createThirdPartyHandlers,
  audit: ({ path: { identifier, ...records }, query }) => ({
    personIds: identifier !== undefined && (query.identifierType ?? 'uin') === 'uin' ? [identifier] : [],
    recordIds: Object.values(records),
  }),
};
