/** The bare-Express yardstick on its own (bench/bare-express.ts), for scenarios that do not run through run.ts's table. */
import autocannon from 'autocannon';
import { startProcess } from './processes.js';
import { YARDSTICK } from './scenarios.js';

/** Requests per second of the bare Express app under `connections` for `duration` seconds. */
export async function yardstickRate(duration = 3, connections = 16): Promise<number> {
  const bare = await startProcess(['--import', 'tsx', 'bench/bare-express.ts'], {});
  try {
    const result = await autocannon({ url: bare.url, connections, duration, requests: YARDSTICK.requests(1000) });
    return Math.round(result.requests.average);
  } finally {
    await bare.stop();
  }
}
