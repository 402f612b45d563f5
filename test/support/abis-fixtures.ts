/** Encounters and probes for the built-in ABIS tests, with portraits cut from the demo photos (see face-photos.ts). */
import { FaceModel } from '../../src/biometrics/face-model.js';
import { type Portrait, portraits } from './face-photos.js';

export const TX = '?transactionId=tx-abis';

let model: Promise<FaceModel> | undefined;

/** Every portrait of the demo photos, detected once per test file. */
export async function demoPortraits(): Promise<Portrait[]> {
  model ??= FaceModel.open();
  return portraits(await model);
}

export function faceItem(image: Buffer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { biometricType: 'FACE', biometricSubType: 'PORTRAIT', image: image.toString('base64'), ...extra };
}

export function encounter(biometricData: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'ACTIVE', encounterType: 'ENROLMENT', galleries: ['CITIZENS'], biometricData, ...extra };
}
