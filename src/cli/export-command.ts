/**
 * `osia-server export FILE` (`-` for standard output): every person of the population registry as NDJSON, in
 * personId order, binaries inline (base64) in the API's own fields. `import` reads the same format: exporting,
 * importing into an empty store and exporting again gives the same bytes.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Config } from '../config/config-options.js';
import { openTransfer } from './transfer-setup.js';
import { progressReporter } from './transfer-progress.js';

async function write(output: Writable, text: string): Promise<void> {
  if (!output.write(text)) await once(output, 'drain');
}

export async function runExport(file: string, config: Config): Promise<number> {
  // A file appears under its name only when complete and on disk: a crash leaves FILE.partial, never half a backup.
  const partial = `${file}.partial`;
  const output = file === '-' ? process.stdout : createWriteStream(partial);
  const { transfer, close } = await openTransfer(config);
  const progress = progressReporter('export', undefined);
  let count = 0;
  try {
    for await (const person of transfer.export()) {
      const line = `${JSON.stringify(person)}\n`;
      await write(output, line);
      count += 1;
      progress.advance(Buffer.byteLength(line), count);
    }
  } finally {
    progress.stop();
    await close();
  }
  if (output !== process.stdout) {
    output.end();
    await once(output, 'finish');
    const handle = await open(partial, 'r+');
    await handle.sync();
    await handle.close();
    await rename(partial, file);
  }
  process.stderr.write(`exported ${count} persons\n`);
  return 0;
}
