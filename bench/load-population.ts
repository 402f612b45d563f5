/** Loads the population through the public API: createPerson, createIdentityWithId, defineReference. */
import { SingleBar } from 'cli-progress';
import { identityOf, PERSON, personId } from './population.js';

/** What the loader sends requests with: the global `fetch`, or a fetch trusting a test CA. */
type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<Response>;

async function call(send: Fetch, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<void> {
  const res = await send(url, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
}

export async function loadPopulation(
  baseUrl: string,
  count: number,
  headers: Record<string, string>,
  concurrency = 32,
  /** How requests are sent: `fetch`, or a client trusting the server's test CA (test/support/https-fetch.ts). */
  send: Fetch = fetch,
): Promise<void> {
  const bar = new SingleBar({ format: 'loading persons [{bar}] {value}/{total} {percentage}% eta {eta}s' });
  bar.start(count, 0);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const id = personId(i);
      const tx = `?transactionId=bench-load-${i}`;
      await call(send, 'POST', `${baseUrl}/pr/v1/persons/${id}${tx}`, headers, PERSON);
      await call(send, 'POST', `${baseUrl}/pr/v1/persons/${id}/identities/ID1${tx}`, headers, identityOf(i));
      await call(send, 'PUT', `${baseUrl}/pr/v1/persons/${id}/identities/ID1/reference${tx}`, headers);
      bar.increment();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  bar.stop();
}
