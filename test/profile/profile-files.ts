/** Temporary profile files for the profile tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/openapi/project-root.js';

export const EXAMPLE_PROFILE = path.join(projectRoot(), 'profiles', 'example.yaml');

export interface ProfileFiles {
  /** Writes `text` to a new file of the folder and returns its path. */
  write(name: string, text: string): Promise<string>;
  remove(): Promise<void>;
}

export async function profileFiles(): Promise<ProfileFiles> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'osia-profile-'));
  return {
    async write(name, text) {
      const file = path.join(dir, name);
      await writeFile(file, text);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
