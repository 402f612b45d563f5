/** What a login method (the ID card, a passkey) hands the OpenID provider once it has recognised a person. */
export interface LoginResult {
  personId: string;
  acr: 'low' | 'substantial' | 'high';
  /** Authentication method references (RFC 8176). */
  amr: string[];
  credentialId?: string;
}

/** A login the method refuses (unknown key, a person who may no longer sign in); its message is shown to the person. */
export class LoginRefused extends Error {}
