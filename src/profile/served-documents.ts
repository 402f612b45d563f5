/** The documents the server serves: our published ones, with the country profile applied when one is configured. */
import { type LoadedDocument, loadDocuments } from '../openapi/documents.js';
import { type DocumentName, INTERFACE_NAMES } from '../openapi/interfaces.js';
import { applyProfile } from './apply-profile.js';
import { checkProfile } from './profile-check.js';
import { readProfileFile } from './profile-file.js';

/**
 * `profile`: the OSIA_PROFILE file, if any. Throws ConfigError (one line naming the file and the key) when it is
 * missing or invalid.
 */
export async function loadServedDocuments(names: readonly DocumentName[], profile?: string): Promise<LoadedDocument[]> {
  const served = await loadDocuments(names);
  if (profile === undefined) return served;
  const raw = await readProfileFile(profile);
  // Checked against every document, served or not, so that one national profile fits every set-up.
  const others = await loadDocuments(INTERFACE_NAMES.filter((name) => !names.includes(name)));
  const checked = checkProfile(profile, raw, [...served, ...others]);
  return served.map((loaded) => applyProfile(loaded, checked));
}
