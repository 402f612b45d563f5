/**
 * How the built-in ABIS is laid out in the store.
 * - `abis_encounters`: one record per encounter, keyed `personId/encounterId`: the Encounter as the client sent it
 *   (server-managed dates added), its images and client templates in the blob store, member names encoded. A person
 *   is nothing but the encounters holding its id: it exists from its first encounter to the deletion of its last.
 * - `abis_templates`: for each encounter with an encoded face, what the 1:N index needs and nothing else (no image):
 *   the faces' float32 values as one blob, the status, galleries and filterable attributes. Written in the same
 *   commit as its encounter.
 * - `abis_sequence` and `abis_changes`: the change log that keeps every process's index in step. Each write commits
 *   the next number of the sequence record (written at the version read, so concurrent writers conflict and run
 *   again) and one change entry of that number naming the encounters it touched: the numbers have no gaps.
 * - `abis_galleries`: every gallery id ever used, `{_id: galleryId}`.
 */
import type { StoredRecord } from '../storage/document-store.port.js';
import type { RecordSpec } from '../storage/record-spec.js';
import type { Records, Store } from '../storage/store.js';

/** The members of an Encounter (abis.yaml), in the order answers give them. */
export const ENCOUNTER_MEMBERS = [
  'encounterId',
  'status',
  'encounterType',
  'createdDate',
  'updatedDate',
  'galleries',
  'clientData',
  'contextualData',
  'biographicData',
  'biometricData',
  'encryption',
  'integrity',
] as const;

export type BiometricItem = Record<string, unknown> & { biometricType: string; image?: string; template?: string };

export interface EncounterRecord extends StoredRecord {
  personId: string;
  encounterId: string;
  status: 'ACTIVE' | 'INACTIVE';
  galleries: string[];
  biometricData: BiometricItem[];
  [member: string]: unknown;
}

/** One encoded face of an encounter: which item of its biometricData, and the detector's confidence. */
export interface FaceSlot {
  item: number;
  quality: number;
  biometricSubType?: string;
  instance?: string;
}

export interface TemplateRecord extends StoredRecord {
  personId: string;
  encounterId: string;
  active: boolean;
  galleries: string[];
  /** The encounter's contextual and biographic data merged (biographic wins), for the `Filter` of a search. */
  attributes: Record<string, unknown>;
  /** `slots.length` × 128 float32 values, little-endian. */
  faces: Buffer;
  slots: FaceSlot[];
}

export interface SequenceRecord extends StoredRecord {
  seq: number;
}

export interface ChangeRecord extends StoredRecord {
  seq: number;
  /** The encounter keys whose template record the change wrote or deleted. */
  keys: string[];
}

export const ENCOUNTERS: RecordSpec<EncounterRecord> = {
  name: 'abis_encounters',
  indexes: [{ fields: ['personId'] }, { fields: ['galleries'], ranked: true }],
  encodedKeys: true,
  binaries: ['clientData', 'biometricData[].image', 'biometricData[].template'],
};

export const TEMPLATES: RecordSpec<TemplateRecord> = {
  name: 'abis_templates',
  indexes: [{ fields: ['personId'] }],
  encodedKeys: true,
  binaries: ['faces'],
};

export const SEQUENCE: RecordSpec<SequenceRecord> = { name: 'abis_sequence' };
export const CHANGES: RecordSpec<ChangeRecord> = { name: 'abis_changes' };
export const GALLERIES: RecordSpec<StoredRecord> = { name: 'abis_galleries' };

/** The `galleryId` of a search or a listing that stands for every gallery. */
export const ALL_GALLERIES = 'ALL';

/** The one sequence record. */
export const SEQUENCE_ID = 'changes';

/** Encounter ids are unique within a person only, so the key holds both (encoded: ids may contain anything). */
export function encounterKey(personId: string, encounterId: string): string {
  return `${encodeURIComponent(personId)}/${encodeURIComponent(encounterId)}`;
}

/** Change entries are keyed by their number, zero-padded so that the keys sort as the numbers do. */
export function changeId(seq: number): string {
  return String(seq).padStart(16, '0');
}

export const FACE_DIMENSIONS = 128;

/** The faces' values as one little-endian blob. */
export function facesBlob(vectors: readonly Float32Array[]): Buffer {
  const blob = Buffer.alloc(vectors.length * FACE_DIMENSIONS * 4);
  vectors.forEach((vector, face) => {
    for (let i = 0; i < FACE_DIMENSIONS; i++) blob.writeFloatLE(vector[i] ?? 0, (face * FACE_DIMENSIONS + i) * 4);
  });
  return blob;
}

/** The values of face number `face` of a blob. */
export function faceVector(blob: Buffer, face: number): Float32Array {
  const vector = new Float32Array(FACE_DIMENSIONS);
  for (let i = 0; i < FACE_DIMENSIONS; i++) vector[i] = blob.readFloatLE((face * FACE_DIMENSIONS + i) * 4);
  return vector;
}

/** Whether the encounter `key` is stored, without reading its images. */
export async function encounterExists(records: AbisRecords, key: string): Promise<boolean> {
  return (await records.encounters.select({ _id: key }, ['_id'], { limit: 1 })).length > 0;
}

/** The handles of the built-in ABIS's collections, opened once. */
export interface AbisRecords {
  encounters: Records<EncounterRecord>;
  templates: Records<TemplateRecord>;
  sequence: Records<SequenceRecord>;
  changes: Records<ChangeRecord>;
  galleries: Records<StoredRecord>;
}

export async function openAbisRecords(store: Store): Promise<AbisRecords> {
  return {
    encounters: await store.records(ENCOUNTERS),
    templates: await store.records(TEMPLATES),
    sequence: await store.records(SEQUENCE),
    changes: await store.records(CHANGES),
    galleries: await store.records(GALLERIES),
  };
}
