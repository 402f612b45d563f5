/**
 * Which biometric items the built-in engine encodes, and how: a FACE item with an embedded `image` gets the
 * template of its one face. Everything else (a FACE given only by `imageRef` or by a client `template`, and every
 * FINGER, IRIS, SIGNATURE or UNKNOWN item) is stored and answered as given but never matched.
 */
import { InvalidError } from '../shared/domain-errors.js';
import type { BiometricItem, FaceSlot } from './abis-records.js';
import type { FaceModel } from './face-model.js';

/**
 * Largest FACE image accepted, decoded: a portrait needs far less, and it keeps a 20 MB request body (the default
 * OSIA_BODY_LIMIT, about 15 MB of bytes once base64 is decoded) from holding one huge image to decode.
 */
export const MAX_FACE_IMAGE_BYTES = 10 * 1024 * 1024;

/** An item left unencoded, reported in `others.notEncoded` of the create and update answers. */
export interface NotEncoded {
  index: number;
  biometricType: string;
  reason: string;
}

export interface EncodedFaces {
  vectors: Float32Array[];
  slots: FaceSlot[];
  notEncoded: NotEncoded[];
}

const isMatchable = (item: BiometricItem): item is BiometricItem & { image: string } =>
  item.biometricType === 'FACE' && typeof item.image === 'string';

/** The template of every FACE image of `items`, one at a time (each takes a core for a good part of a second). */
export async function encodeFaces(model: FaceModel, items: readonly BiometricItem[]): Promise<EncodedFaces> {
  const encoded: EncodedFaces = { vectors: [], slots: [], notEncoded: [] };
  for (const [index, item] of items.entries()) {
    if (!isMatchable(item)) {
      encoded.notEncoded.push({ index, biometricType: item.biometricType, reason: reasonNotEncoded(item) });
      continue;
    }
    const face = await faceOf(model, item.image, index);
    encoded.vectors.push(face.vector);
    encoded.slots.push({
      item: index,
      quality: face.quality,
      ...(typeof item.biometricSubType === 'string' ? { biometricSubType: item.biometricSubType } : {}),
      ...(typeof item.instance === 'string' ? { instance: item.instance } : {}),
    });
  }
  return encoded;
}

/**
 * The faces of a search or verification probe. A probe the engine cannot match (no FACE image, or only other
 * modalities) is refused with a message naming what it holds: never answered as a silent "no match".
 */
export async function probeFaces(model: FaceModel, items: readonly BiometricItem[], what = 'The probe'): Promise<EncodedFaces> {
  if (!items.some(isMatchable)) {
    const held = [...new Set(items.map((item) => item.biometricType))];
    const holds = held.length === 0 ? 'no biometric item' : `only ${held.join(', ')} without a FACE image`;
    throw new InvalidError(`${what} holds ${holds}: the built-in ABIS matches FACE images only`);
  }
  return encodeFaces(model, items);
}

function reasonNotEncoded(item: BiometricItem): string {
  if (item.biometricType !== 'FACE') return `${item.biometricType} is not matched by the built-in ABIS`;
  return 'a FACE without an embedded image is stored as given but not matched';
}

async function faceOf(model: FaceModel, image: string, index: number) {
  const bytes = Buffer.from(image, 'base64');
  if (bytes.length > MAX_FACE_IMAGE_BYTES) {
    throw new InvalidError(`biometricData[${index}]: the FACE image is larger than ${MAX_FACE_IMAGE_BYTES / 1024 / 1024} MB`);
  }
  try {
    return await model.template(bytes);
  } catch (error) {
    if (error instanceof InvalidError) throw new InvalidError(`biometricData[${index}]: ${error.message}`);
    throw error;
  }
}
