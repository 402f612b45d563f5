/**
 * Why a login is refused, in the words the person reads on the login page, in each language of the citizen's pages.
 * Login methods name a refusal; the page picks its language. `{name}` marks a value filled in.
 */
export const REFUSALS = {
  noCertificate: {
    en: 'No card certificate was presented: insert your identity card and choose its certificate when the browser asks.',
    fr: 'Aucun certificat de carte n’a été présenté : insérez votre carte d’identité et choisissez son certificat quand le navigateur le demande.',
  },
  notOurs: {
    en: 'This certificate was not issued by our identity card authority.',
    fr: 'Ce certificat n’a pas été délivré par notre autorité des cartes d’identité.',
  },
  unreadable: { en: 'The certificate presented cannot be read.', fr: 'Le certificat présenté est illisible.' },
  notYetValid: { en: 'This card\'s certificate is not valid yet.', fr: 'Le certificat de cette carte n’est pas encore valide.' },
  certificateExpired: { en: 'This card\'s certificate has expired.', fr: 'Le certificat de cette carte a expiré.' },
  notIssued: { en: 'This certificate is not one of the identity cards we issued.', fr: 'Ce certificat n’est pas celui d’une carte d’identité que nous avons délivrée.' },
  certificateRevoked: { en: 'This card\'s certificate has been revoked.', fr: 'Le certificat de cette carte a été révoqué.' },
  certificateSuspended: { en: 'This card\'s certificate is suspended.', fr: 'Le certificat de cette carte est suspendu.' },
  signatureCertificate: {
    en: 'This is the card\'s signature certificate: choose its authentication certificate.',
    fr: 'C’est le certificat de signature de la carte : choisissez son certificat d’authentification.',
  },
  unknownCard: { en: 'This card is not known to the credential register.', fr: 'Cette carte est inconnue du registre des titres.' },
  otherHolder: { en: 'This card belongs to another person.', fr: 'Cette carte appartient à une autre personne.' },
  cardSuspended: { en: 'This card is suspended.', fr: 'Cette carte est suspendue.' },
  cardRevoked: { en: 'This card has been revoked.', fr: 'Cette carte a été révoquée.' },
  cardInactive: { en: 'This card is not active (status {status}).', fr: 'Cette carte n’est pas active (statut {status}).' },
  profileNotAllowed: { en: 'A {profile} credential cannot be used to log in.', fr: 'Un titre {profile} ne permet pas de se connecter.' },
  cardExpired: { en: 'This card has expired.', fr: 'Cette carte a expiré.' },
  unknownPerson: { en: 'This person is not in the population registry.', fr: 'Cette personne ne figure pas au registre de la population.' },
  deceased: { en: 'The population registry records this person as deceased.', fr: 'Le registre de la population indique que cette personne est décédée.' },
  personInactive: {
    en: 'This person\'s record is not active in the population registry (status {status}).',
    fr: 'La fiche de cette personne n’est pas active au registre de la population (statut {status}).',
  },
  notAlive: {
    en: 'This person is not recorded as alive in the population registry ({status}).',
    fr: 'Cette personne n’est pas enregistrée comme vivante au registre de la population ({status}).',
  },
  cannotSignIn: { en: 'This person can no longer sign in.', fr: 'Cette personne ne peut plus se connecter.' },
  passkeyStale: {
    en: 'This passkey request has expired or was used already; try again.',
    fr: 'Cette demande de clé d’accès a expiré ou a déjà servi ; réessayez.',
  },
  passkeyUnknown: { en: 'This passkey is not registered here.', fr: 'Cette clé d’accès n’est pas enregistrée ici.' },
  passkeyOtherAccount: { en: 'This passkey belongs to another account.', fr: 'Cette clé d’accès appartient à un autre compte.' },
  passkeyUnverified: { en: 'The passkey answer could not be verified.', fr: 'La réponse de la clé d’accès n’a pas pu être vérifiée.' },
  unknownClient: { en: 'The service that asked for this sign-in is unknown.', fr: 'Le service qui a demandé cette connexion est inconnu.' },
  levelTooLow: {
    en: 'This login reaches the level {reached}; the service asks for {required}.',
    fr: 'Cette connexion atteint le niveau {reached} ; le service demande {required}.',
  },
  otherSignIn: { en: 'This page belongs to another sign-in.', fr: 'Cette page appartient à une autre connexion.' },
  nothingToConsent: { en: 'There is nothing to consent to at this step.', fr: 'Il n’y a rien à consentir à cette étape.' },
  signInFirst: { en: 'Sign in first.', fr: 'Connectez-vous d’abord.' },
  signInEnded: {
    en: 'This sign-in has expired or ended: go back to the service and start again.',
    fr: 'Cette connexion a expiré ou a pris fin : revenez au service et recommencez.',
  },
} as const satisfies Record<string, Record<'en' | 'fr', string>>;

export type Refusal = keyof typeof REFUSALS;
export type RefusalLanguage = keyof (typeof REFUSALS)[Refusal];

/** A refusal and the values its sentence names. */
export interface RefusalReason {
  refusal: Refusal;
  values?: Record<string, string>;
}

export function refusalText({ refusal, values = {} }: RefusalReason, lang: RefusalLanguage): string {
  return REFUSALS[refusal][lang].replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
}
