/** Everything the embedded store has written for records (database file and WAL), as text, to search for values. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export async function databaseText(dataDir: string): Promise<string> {
  const files = (await readdir(dataDir)).filter((file) => file.startsWith('osia.sqlite'));
  if (files.length === 0) throw new Error(`no database file in ${dataDir}`);
  return (await Promise.all(files.map((file) => readFile(path.join(dataDir, file), 'latin1')))).join('');
}
