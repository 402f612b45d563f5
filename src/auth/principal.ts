/** Who is calling: taken from a verified bearer token, kept with the request for authorisation, logs and audit. */
export interface Principal {
  /** `sub` claim: the user or system the token was issued to. */
  subject: string | undefined;
  /** `azp` or `client_id` claim: the client application. */
  client: string | undefined;
  scopes: ReadonlySet<string>;
}
