/** Encounters and probes for the built-in ABIS tests, with portraits cut from the demo photos (see face-photos.ts). */
import { FaceModel } from '../../src/biometrics/face-model.js';
import { type Portrait, portraits } from './face-photos.js';

export const TX = '?transactionId=tx-abis';

/**
 * Six people of the demo photos that no capture of another of them matches: on these small faces the model scores
 * some different people high (up to 0.57, docs/behaviour/abis.md), so tests that expect no other candidate use
 * these clearly distinct people (measured below 0.35 both ways, their rotated captures included, before the
 * levelled chip of ADR 0160).
 */
export const DISTINCT = ['sample1.jpg#1', 'sample1.jpg#3', 'sample2.jpg#2', 'sample3.jpg#3', 'sample4.jpg#3', 'sample5.jpg#1'];

let model: Promise<FaceModel> | undefined;

/** Every portrait of the demo photos, detected once per test file. */
export async function demoPortraits(): Promise<Portrait[]> {
  model ??= FaceModel.open();
  return portraits(await model);
}

/** The portraits named, in that order. */
export async function portraitsNamed(names: readonly string[]): Promise<Portrait[]> {
  const all = await demoPortraits();
  return names.map((name) => {
    const portrait = all.find((candidate) => candidate.name === name);
    if (!portrait) throw new Error(`the demo photos show no ${name}`);
    return portrait;
  });
}

export function faceItem(image: Buffer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { biometricType: 'FACE', biometricSubType: 'PORTRAIT', image: image.toString('base64'), ...extra };
}

export function encounter(biometricData: Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { status: 'ACTIVE', encounterType: 'ENROLMENT', galleries: ['CITIZENS'], biometricData, ...extra };
}
