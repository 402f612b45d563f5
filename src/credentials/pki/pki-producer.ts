/**
 * The `pki` producer: the base producer (the CMS's `internal` one) makes the credential, numbers and dates it;
 * this one adds the holder's X.509 certificates and keeps them in step with the credential's status.
 */
import { parseDateTime } from '../credential-dates.js';
import type { CredentialProducer, ProducedCredential, ProductionOrder, ProductionOutcome } from '../credential-producer.port.js';
import { InvalidError } from '../../shared/domain-errors.js';
import { CERTIFICATE_KINDS } from '../profile-catalogue.js';
import type { CertificateUsage } from './holder-certificate.js';
import { type HolderKey, suppliedPublicKeys } from './holder-keys.js';
import type { PkiIssuer } from './pki-issuer.js';

export interface PkiProducerOptions {
  base: CredentialProducer;
  issuer: PkiIssuer;
}

interface CertificatePlan {
  usages: CertificateUsage[];
  suppliedKeys?: Map<CertificateUsage, HolderKey>;
}

/**
 * The profile's `certificates` setting (an authentication certificate when it names none; the catalogue has checked
 * the names, orders built elsewhere are checked here) and the client's keys.
 */
function plan(order: ProductionOrder): CertificatePlan {
  const named = order.settings?.certificates ?? ['authentication'];
  const unknown = named.filter((usage) => !(CERTIFICATE_KINDS as readonly string[]).includes(usage));
  if (unknown.length > 0 || named.length === 0) {
    throw new InvalidError(
      `profile ${order.profile.credentialProfileId} must name certificates among ${CERTIFICATE_KINDS.join(', ')}`,
    );
  }
  const usages = [...new Set(named)] as CertificateUsage[];
  return { usages, suppliedKeys: suppliedPublicKeys(order.requestData.others, usages) };
}

export function createPkiProducer({ base, issuer }: PkiProducerOptions): CredentialProducer {
  async function certify(order: ProductionOrder, { usages, suppliedKeys }: CertificatePlan, credential: ProducedCredential) {
    if (!credential.credentialId) throw new Error('the pki producer needs a base producer that assigns credentialId');
    // The internal producer keeps a requested later start in others.validFromDate.
    const start = credential.others?.validFromDate;
    const validFrom = typeof start === 'string' ? start : credential.issuedDate;
    const certificates = await issuer.issue({
      credentialId: credential.credentialId,
      credentialNumber: credential.credentialNumber ?? credential.credentialId,
      biographicData: order.biographicData,
      usages,
      suppliedKeys,
      notBefore: validFrom ? parseDateTime(validFrom, 'validFromDate') : undefined,
      notAfter: credential.expiryDate ? parseDateTime(credential.expiryDate, 'expiryDate') : undefined,
    });
    return {
      ...credential,
      serialNumber: certificates[0]?.serial,
      // Certificates are public, and the card, the app or the bureau needs them back.
      others: {
        ...credential.others,
        certificates: certificates.map(({ usage, serial, pem }) => ({ usage, serialNumber: serial, certificate: pem })),
      },
      producerState: { ...credential.producerState, certificates },
    };
  }

  /**
   * Checks the order before the base producer spends a number on it. Bad keys or settings fail the request
   * (status FAILED); the base producer's own refusals pass through unchanged.
   */
  async function withCertificates(order: ProductionOrder, produce: () => Promise<ProductionOutcome>): Promise<ProductionOutcome> {
    const failed = (error: unknown): ProductionOutcome => {
      if (error instanceof InvalidError) return { status: 'FAILED', reason: error.message };
      throw error;
    };
    let certificatePlan: CertificatePlan;
    try {
      certificatePlan = plan(order);
    } catch (error) {
      return failed(error);
    }
    const outcome = await produce();
    if (outcome.status !== 'ISSUED') return outcome;
    try {
      const credentials: ProducedCredential[] = [];
      for (const credential of outcome.credentials) credentials.push(await certify(order, certificatePlan, credential));
      return { status: 'ISSUED', credentials };
    } catch (error) {
      return failed(error);
    }
  }

  const producer: CredentialProducer = {
    name: 'pki',
    produce: (order) => withCertificates(order, () => base.produce(order)),
    async statusChanged(change) {
      const state = await base.statusChanged?.(change);
      await issuer.changeStatus(change);
      return state;
    },
  };
  const { poll, updated, cancel } = base;
  if (poll) producer.poll = (order, state) => withCertificates(order, () => poll.call(base, order, state));
  // A replaced PENDING request must still carry usable keys: a InvalidError refuses the update.
  if (updated) {
    producer.updated = (order, state) => {
      plan(order);
      return updated.call(base, order, state);
    };
  }
  if (cancel) producer.cancel = (order, state) => cancel.call(base, order, state);
  return producer;
}
