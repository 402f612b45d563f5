/** The cookies of one browser, per host whatever the port (as browsers keep them): what the answers set, and sent back. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  /** The Cookie header to send. */
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Keeps the cookies `response` sets, and forgets those it clears. */
  keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}
