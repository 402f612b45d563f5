/**
 * What the country profile makes of the server: the documents it serves (ours as published, with the profile's
 * schemas applied) and the behaviour settings the profile chose.
 */
import { type LoadedDocument, loadDocuments } from '../openapi/documents.js';
import { type DocumentName, INTERFACE_NAMES } from '../openapi/interfaces.js';
import { applyProfile } from './apply-profile.js';
import { checkProfile } from './profile-check.js';
import { readProfileFile } from './profile-file.js';
import { checkSettings, DEFAULT_SETTINGS, type ProfileSettings } from './profile-settings.js';

export interface ServedSetup {
  documents: LoadedDocument[];
  settings: ProfileSettings;
}

/**
 * `profile`: the OSIA_PROFILE value (one file or a comma list), if any. Throws ConfigError (one line naming the
 * file and the key) when a file is missing or invalid.
 */
export async function loadServedSetup(names: readonly DocumentName[], profile?: string): Promise<ServedSetup> {
  const served = await loadDocuments(names);
  if (profile === undefined) return { documents: served, settings: DEFAULT_SETTINGS };
  const raw = await readProfileFile(profile);
  const settings = checkSettings(profile, raw);
  // Checked against every document, served or not, so that one national profile fits every set-up.
  const others = await loadDocuments(INTERFACE_NAMES.filter((name) => !names.includes(name)));
  const checked = checkProfile(profile, raw, [...served, ...others]);
  return { documents: served.map((loaded) => applyProfile(loaded, checked)), settings };
}

export async function loadServedDocuments(names: readonly DocumentName[], profile?: string): Promise<LoadedDocument[]> {
  return (await loadServedSetup(names, profile)).documents;
}
