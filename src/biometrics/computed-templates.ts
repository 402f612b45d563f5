/**
 * readTemplate of the built-in ABIS: the templates it computed for an encounter (one per FACE item with an image),
 * as `BiometricComputedData`. Items it did not encode (client templates, other modalities) have none and are left out.
 */
import { NotFoundError } from '../shared/domain-errors.js';
import { type AbisRecords, encounterExists, encounterKey, FACE_DIMENSIONS } from './abis-records.js';
import type { FaceModel } from './face-model.js';

/** The scale of `quality`: the face detector's confidence, 0–100. */
export const FACE_QUALITY_FORMAT = 'OSIA_SERVER_FACE_DETECTION_CONFIDENCE';

/** readTemplate's query filters; each one given must equal the template's value. */
export interface TemplateQuery {
  biometricType?: string;
  biometricSubType?: string;
  instance?: string;
  templateFormat?: string;
  qualityFormat?: string;
}

export async function computedTemplates(records: AbisRecords, model: FaceModel, personId: string, encounterId: string, query: TemplateQuery) {
  const key = encounterKey(personId, encounterId);
  const template = await records.templates.get(key);
  if (!template) {
    if (!(await encounterExists(records, key))) throw new NotFoundError(`No encounter ${encounterId} of person ${personId}`);
    return [];
  }
  const bytes = FACE_DIMENSIONS * 4;
  const computed = template.slots.map((slot, face) => ({
    biometricType: 'FACE',
    ...(slot.biometricSubType ? { biometricSubType: slot.biometricSubType } : {}),
    ...(slot.instance ? { instance: slot.instance } : {}),
    template: template.faces.subarray(face * bytes, (face + 1) * bytes).toString('base64'),
    templateFormat: model.templateFormat,
    quality: slot.quality,
    qualityFormat: FACE_QUALITY_FORMAT,
    algorithm: model.algorithm,
    vendor: model.vendor,
  }));
  const wanted = Object.entries(query).filter(([, value]) => value !== undefined);
  return computed.filter((data) => wanted.every(([name, value]) => (data as Record<string, unknown>)[name] === value));
}
