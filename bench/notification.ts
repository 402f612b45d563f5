/**
 * Notification scenarios (`npm run bench -- --only notification`): publish rate, publish-to-receipt latency at 10
 * HTTP subscribers on loopback, and the drain rate of messages queued while a subscriber was down. Starts its own
 * osia-server (notification only, authentication off) and receivers in this process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { startProcess } from './processes.js';

interface Hook {
  url: string;
  status: number;
  onMessage: (body: { message: string }) => void;
  server: http.Server;
}

async function hook(onMessage: Hook['onMessage'] = () => {}): Promise<Hook> {
  const state = { status: 200, onMessage } as Hook;
  state.server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      res.statusCode = state.status;
      res.end();
      if (state.status === 200) state.onMessage(JSON.parse(text));
    });
  });
  state.server.listen(0, '127.0.0.1');
  await once(state.server, 'listening');
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/`;
  return state;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function notificationBench(options: { publishes: number; latencyMessages: number; drainMessages: number }): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'osia-bench-notif-'));
  const server = await startProcess(['--import', 'tsx', 'src/main.ts'], {
    OSIA_HOST: '127.0.0.1',
    OSIA_DATA_DIR: dataDir,
    OSIA_AUTH: 'off',
    OSIA_INTERFACES: 'notification',
    OSIA_NOTIFICATION_ALLOW: '127.0.0.0/8',
    OSIA_NOTIFICATION_POLL_INTERVAL: '100',
    // Info, as in production and as the other scenarios run.
    OSIA_LOG_LEVEL: 'info',
    NODE_ENV: 'production',
  });
  const base = `${server.url}/notification/v1`;
  const hooks: Hook[] = [];
  const post = async (url: string, body?: string) => {
    const res = await fetch(url, { method: 'POST', ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}) });
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    return res.status === 200 && res.headers.get('content-type')?.includes('json') ? res.json() : undefined;
  };
  /** A confirmed subscription of `h` to `topic`. */
  const subscribe = async (topic: string, h: Hook, policy = '1,-1') => {
    const confirmed = new Promise<void>((resolve) => {
      const previous = h.onMessage;
      h.onMessage = (body) => {
        const token = (body as { token?: string }).token;
        h.onMessage = previous;
        void fetch(`${base}/subscriptions/confirm?token=${token}`).then(() => resolve());
      };
    });
    await post(`${base}/subscriptions?topic=${topic}&policy=${encodeURIComponent(policy)}&address=${encodeURIComponent(h.url)}`);
    await confirmed;
  };
  try {
    // 1. Publish rate: sequential publishes, 4 at a time, on a topic nobody subscribes to (store writes only).
    await post(`${base}/topics?name=rate`);
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next++ < options.publishes) await post(`${base}/topics/rate/publish`, '{"source":"bench"}');
      }),
    );
    const rate = options.publishes / ((performance.now() - start) / 1000);
    console.log(`notification publish: ${Math.round(rate)} messages/s (${options.publishes} publishes, 4 concurrent)`);

    // 2. Publish to receipt at 10 subscribers, one message at a time.
    await post(`${base}/topics?name=latency`);
    const latencies: number[] = [];
    let pending: (() => void) | undefined;
    let received = 0;
    for (let i = 0; i < 10; i++) {
      const h = await hook();
      hooks.push(h);
      await subscribe('latency', h);
      h.onMessage = (body) => {
        latencies.push(performance.now() - Number(JSON.parse(body.message).sentAt));
        if (++received % 10 === 0) pending?.();
      };
    }
    for (let i = 0; i < options.latencyMessages; i++) {
      const all = new Promise<void>((resolve) => {
        pending = resolve;
      });
      await post(`${base}/topics/latency/publish`, JSON.stringify({ sentAt: performance.now() }));
      await all;
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `notification publish→receipt at 10 subscribers: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${latencies.length} receipts)`,
    );

    // 3. Drain: messages queued while the subscriber was down, delivered once it is back.
    await post(`${base}/topics?name=drain`);
    let drained = 0;
    let done: (() => void) | undefined;
    const down = await hook((_body) => {
      if (++drained === options.drainMessages) done?.();
    });
    hooks.push(down);
    await subscribe('drain', down);
    down.status = 503;
    next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next++ < options.drainMessages) await post(`${base}/topics/drain/publish`, '{"source":"bench"}');
      }),
    );
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    down.status = 200;
    const drainStart = performance.now();
    await finished;
    const seconds = (performance.now() - drainStart) / 1000;
    console.log(
      `notification drain: ${options.drainMessages} queued messages in ${seconds.toFixed(1)} s (${Math.round(options.drainMessages / seconds)} messages/s, includes up to 1 s of retry countdown)`,
    );
  } finally {
    for (const h of hooks) {
      h.server.closeAllConnections();
      h.server.close();
    }
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
