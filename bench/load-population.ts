/** Loads the population through the public API: createPerson, createIdentityWithId, defineReference. */
import { SingleBar } from 'cli-progress';
import { identityOf, PERSON, personId } from './population.js';

async function call(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<void> {
  const res = await fetch(url, {
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
): Promise<void> {
  const bar = new SingleBar({ format: 'loading persons [{bar}] {value}/{total} {percentage}% eta {eta}s' });
  bar.start(count, 0);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const id = personId(i);
      const tx = `?transactionId=bench-load-${i}`;
      await call('POST', `${baseUrl}/pr/v1/persons/${id}${tx}`, headers, PERSON);
      await call('POST', `${baseUrl}/pr/v1/persons/${id}/identities/ID1${tx}`, headers, identityOf(i));
      await call('PUT', `${baseUrl}/pr/v1/persons/${id}/identities/ID1/reference${tx}`, headers);
      bar.increment();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  bar.stop();
}
