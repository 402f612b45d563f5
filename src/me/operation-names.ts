/**
 * Each operation of the audit trail in plain words, in the page's languages: "Identity verified (Third Party
 * verify)". The technical name stays in parentheses, so that a person can quote it to the organisation or to an
 * ombudsman. An operation missing here still shows, by its technical name.
 */
import type { ReportLanguage } from './me-messages.js';

type Names = Record<string, readonly [en: string, fr: string]>;

const INTERFACES: Names = {
  pr: ['Population Registry', 'Registre de la population'],
  dataaccess: ['Data Access', 'Accès aux données'],
  enrollment: ['Enrollment', 'Enrôlement'],
  cms: ['Credential Management', 'Gestion des titres'],
  thirdparty: ['Third Party', 'Services aux tiers'],
  abis: ['Biometrics', 'Biométrie'],
  audit: ['Audit', 'Audit'],
  oidc: ['Sign-in', 'Connexion'],
};

const OPERATIONS: Names = {
  'pr.findPersons': ['Persons searched', 'Recherche de personnes'],
  'pr.createPerson': ['Person created in the registry', 'Personne créée au registre'],
  'pr.readPerson': ['Person status read', 'Statut de la personne consulté'],
  'pr.updatePerson': ['Person status changed', 'Statut de la personne modifié'],
  'pr.deletePerson': ['Person deleted from the registry', 'Personne supprimée du registre'],
  'pr.mergePerson': ['Person records merged', 'Fiches de personnes fusionnées'],
  'pr.readIdentities': ['Identities read', 'Identités consultées'],
  'pr.createIdentity': ['Identity recorded', 'Identité enregistrée'],
  'pr.createIdentityWithId': ['Identity recorded', 'Identité enregistrée'],
  'pr.readIdentity': ['Identity read', 'Identité consultée'],
  'pr.updateIdentity': ['Identity changed', 'Identité modifiée'],
  'pr.partialUpdateIdentity': ['Identity changed', 'Identité modifiée'],
  'pr.deleteIdentity': ['Identity deleted', 'Identité supprimée'],
  'pr.moveIdentity': ['Identity moved to another person', 'Identité rattachée à une autre personne'],
  'pr.setIdentityStatus': ['Identity status changed', 'Statut de l’identité modifié'],
  'pr.defineReference': ['Reference identity chosen', 'Identité de référence choisie'],
  'pr.readReference': ['Reference identity read', 'Identité de référence consultée'],
  'pr.readGalleries': ['Galleries listed', 'Galeries consultées'],
  'pr.readGalleryContent': ['Gallery listed', 'Contenu d’une galerie consulté'],
  'dataaccess.queryPersonList': ['Persons searched', 'Recherche de personnes'],
  'dataaccess.readPersonAttributes': ['Attributes read', 'Attributs consultés'],
  'dataaccess.matchPersonAttributes': ['Attributes compared', 'Attributs comparés'],
  'dataaccess.verifyPersonAttributes': ['Attributes checked', 'Attributs vérifiés'],
  'dataaccess.readDocument': ['Document read', 'Document consulté'],
  'enrollment.createEnrollment': ['Enrollment started', 'Enrôlement commencé'],
  'enrollment.readEnrollment': ['Enrollment read', 'Enrôlement consulté'],
  'enrollment.updateEnrollment': ['Enrollment changed', 'Enrôlement modifié'],
  'enrollment.partialUpdateEnrollment': ['Enrollment changed', 'Enrôlement modifié'],
  'enrollment.deleteEnrollment': ['Enrollment deleted', 'Enrôlement supprimé'],
  'enrollment.finalizeEnrollment': ['Enrollment completed', 'Enrôlement finalisé'],
  'enrollment.findEnrollments': ['Enrollments searched', 'Recherche d’enrôlements'],
  'enrollment.createBuffer': ['Document or image added to an enrollment', 'Document ou image ajouté à un enrôlement'],
  'enrollment.readBuffer': ['Document or image of an enrollment read', 'Document ou image d’un enrôlement consulté'],
  'cms.createCredentialRequest': ['Credential requested', 'Titre demandé'],
  'cms.readCredentialRequest': ['Credential request read', 'Demande de titre consultée'],
  'cms.updateCredentialRequest': ['Credential request changed', 'Demande de titre modifiée'],
  'cms.cancelCredentialRequest': ['Credential request cancelled', 'Demande de titre annulée'],
  'cms.findCredentials': ['Credentials searched', 'Recherche de titres'],
  'cms.readCredential': ['Credential read', 'Titre consulté'],
  'cms.updateCredential': ['Credential changed', 'Titre modifié'],
  'cms.suspendCredential': ['Credential suspended', 'Titre suspendu'],
  'cms.unsuspendCredential': ['Credential reinstated', 'Titre rétabli'],
  'cms.revokeCredential': ['Credential revoked', 'Titre révoqué'],
  'cms.setCredentialStatus': ['Credential status changed', 'Statut du titre modifié'],
  'thirdparty.verify': ['Identity verified', 'Identité vérifiée'],
  'thirdparty.readAttributeSet': ['Attributes read', 'Attributs consultés'],
  'thirdparty.readAttributes': ['Attributes read', 'Attributs consultés'],
  'thirdparty.identify': ['Person identified', 'Personne identifiée'],
  'thirdparty.readIdentifyResult': ['Person identified', 'Personne identifiée'],
  'abis.createEncounter': ['Biometrics recorded', 'Biométrie enregistrée'],
  'abis.createEncounterNoId': ['Biometrics recorded', 'Biométrie enregistrée'],
  'abis.createEncounterNoIds': ['Biometrics recorded', 'Biométrie enregistrée'],
  'abis.readAllEncounters': ['Biometric records listed', 'Enregistrements biométriques consultés'],
  'abis.readEncounter': ['Biometric record read', 'Enregistrement biométrique consulté'],
  'abis.updateEncounter': ['Biometric record changed', 'Enregistrement biométrique modifié'],
  'abis.deleteEncounter': ['Biometric record deleted', 'Enregistrement biométrique supprimé'],
  'abis.deleteAll': ['Biometric records deleted', 'Enregistrements biométriques supprimés'],
  'abis.mergeEncounter': ['Biometric records merged', 'Enregistrements biométriques fusionnés'],
  'abis.moveEncounter': ['Biometric record moved', 'Enregistrement biométrique déplacé'],
  'abis.updateEncounterStatus': ['Biometric record status changed', 'Statut d’un enregistrement biométrique modifié'],
  'abis.updateEncounterGalleries': ['Biometric galleries changed', 'Galeries biométriques modifiées'],
  'abis.readTemplate': ['Biometric template read', 'Gabarit biométrique consulté'],
  'abis.identify': ['Biometric search', 'Recherche biométrique'],
  'abis.identifyFromId': ['Biometric search', 'Recherche biométrique'],
  'abis.identifyFromEncounterId': ['Biometric search', 'Recherche biométrique'],
  'abis.verifyFromId': ['Biometrics compared', 'Biométrie comparée'],
  'abis.verifyFromBio': ['Biometrics compared', 'Biométrie comparée'],
  'abis.readGalleries': ['Biometric galleries listed', 'Galeries biométriques consultées'],
  'abis.readGalleryContent': ['Biometric gallery listed', 'Galerie biométrique consultée'],
  'audit.readPersonAccesses': ['Access report read', 'Relevé des accès consulté'],
  'oidc.idToken': ['Identity given at sign-in', 'Identité transmise à la connexion'],
  'oidc.userinfo': ['Identity given at sign-in', 'Identité transmise à la connexion'],
};

const LANGUAGES: Record<ReportLanguage, 0 | 1> = { en: 0, fr: 1 };

/** The plain name of an operation, with its technical name: "Identity verified (Third Party verify)". */
export function operationName(interfaceName: string, operationId: string, lang: ReportLanguage): string {
  // The ABIS's callback variants (identifyCB …) do the same as the plain ones.
  const plain = interfaceName === 'abis' ? operationId.replace(/CB$/, '') : operationId;
  const index = LANGUAGES[lang];
  const where = INTERFACES[interfaceName]?.[index] ?? interfaceName;
  const what = OPERATIONS[`${interfaceName}.${plain}`]?.[index];
  return what ? `${what} (${where} ${operationId})` : `${where} ${operationId}`;
}
