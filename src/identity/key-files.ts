/**
 * The secrets of Third Party Services and the OpenID provider (proof signing key, sector token secret): read from a file the operator names,
 * or generated once under `<dataDir>/thirdparty/` (directory 0700, file 0600) and read back on later starts.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../config/config-options.js';

/** The content of `configured` (named by `option`), else of `<dataDir>/thirdparty/<name>`, created by `generate` when missing. */
export async function loadOrCreateSecret(
  configured: { file: string | undefined; option: string },
  generated: { dataDir: string; name: string; generate: () => Promise<string> | string },
): Promise<string> {
  if (configured.file) {
    try {
      return await readFile(configured.file, 'utf8');
    } catch (err) {
      throw new ConfigError(`${configured.option} ${configured.file}: ${(err as Error).message}`);
    }
  }
  const dir = path.join(generated.dataDir, 'thirdparty');
  const file = path.join(dir, generated.name);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const content = await generated.generate();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written aside then renamed: a crash never leaves a half-written key that a later start would trust.
  const temporary = `${file}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flush: true });
  await rename(temporary, file);
  return content;
}
