/**
 * The built-in face model on real photographs (test/support/face-photos.ts: face-api's demo group photos, MIT):
 * another capture of a face matches it at the default threshold, the refusals of a portrait, and the extraction
 * staying off the main thread. Prints the measured false-match and false-non-match counts (docs/behaviour/abis.md).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { FaceModel } from '../../src/biometrics/face-model.js';
import { faceScore } from '../../src/biometrics/template-index.js';
import { InvalidError, UnavailableError } from '../../src/shared/domain-errors.js';
import { faceless, groupPhoto, type Portrait, portraits, VARIANTS } from '../support/face-photos.js';

/** OSIA_ABIS_THRESHOLD's default: the middle of the gap measured on these photos (docs/behaviour/abis.md). */
const THRESHOLD = 0.68;
/** 7 of 126 variants are not found as exactly one face (the weakest detections: sample2.jpg#2, sample4.jpg#1…). */
const MEASURED_FAILURES_TO_ACQUIRE = 7;

let model: FaceModel;
let all: Portrait[];

before(async () => {
  model = await FaceModel.open(2);
  all = await portraits(model);
});
after(() => model.close());

describe('matching real faces', () => {
  it('finds the faces of the six group photos, 21 of them alone in their portrait', async () => {
    assert.equal(all.length, 21);
  });

  it('matches every variant that shows one face to its original above the default threshold', async (t) => {
    let tried = 0;
    let unacquired = 0;
    const nonMatches: string[] = [];
    let lowest = 1;
    for (const portrait of all) {
      for (const [variant, make] of Object.entries(VARIANTS)) {
        tried++;
        const faces = await model.faces(await make(portrait));
        const [face] = faces;
        if (faces.length !== 1 || !face) {
          unacquired++;
          continue;
        }
        const score = faceScore(portrait.template.vector, face.vector);
        lowest = Math.min(lowest, score);
        if (score < THRESHOLD) nonMatches.push(`${portrait.name} ${variant} ${score.toFixed(3)}`);
      }
    }
    t.diagnostic(
      `genuine pairs: ${tried} tried, ${nonMatches.length} false non-matches at ${THRESHOLD}, ${unacquired} not found as one face, lowest score ${lowest.toFixed(3)}`,
    );
    assert.deepEqual(nonMatches, []);
    assert.ok(unacquired <= MEASURED_FAILURES_TO_ACQUIRE, `${unacquired} variants not acquired`);
  });

  it('matches no two portraits of different people at the default threshold', (t) => {
    let pairs = 0;
    const falseMatches: string[] = [];
    let highest = 0;
    for (const [i, a] of all.entries()) {
      for (const b of all.slice(i + 1)) {
        pairs++;
        const score = faceScore(a.template.vector, b.template.vector);
        highest = Math.max(highest, score);
        if (score >= THRESHOLD) falseMatches.push(`${a.name}~${b.name} ${score.toFixed(3)}`);
      }
    }
    t.diagnostic(`impostor pairs: ${pairs} tried, ${falseMatches.length} false matches at ${THRESHOLD}, highest score ${highest.toFixed(3)}`);
    assert.equal(pairs, (21 * 20) / 2);
    // Different young women, several of them with stage make-up or a tilted head: a hard set for dlib's model.
    assert.deepEqual(falseMatches, []);
  });

  it('gives a repeated extraction the same template, whichever thread runs it', async () => {
    const again = await Promise.all(all.slice(0, 6).map((portrait) => model.template(portrait.image)));
    for (const [i, face] of again.entries()) assert.ok(faceScore(face.vector, all[i]?.template.vector ?? new Float32Array(128)) > 0.999);
  });
});

describe('what a portrait must be', () => {
  it('refuses an image without a face', async () => {
    await assert.rejects(model.template(await faceless()), (err) => err instanceof InvalidError && /no face was found/.test(err.message));
  });

  it('refuses a group photo, saying how many faces it shows', async () => {
    await assert.rejects(model.template(await groupPhoto('sample1.jpg')), (err) => err instanceof InvalidError && /shows 3 faces/.test(err.message));
  });

  it('refuses bytes that are no image', async () => {
    const garbage = Buffer.from('not an image at all, just some text standing in for a JPEG');
    await assert.rejects(model.faces(garbage), (err) => err instanceof InvalidError && /cannot be read/.test(err.message));
  });

  it('reports the detection score, the pose and the eye distance of each face', async () => {
    const faces = await model.faces(await groupPhoto('sample5.jpg'));
    assert.equal(faces.length, 5);
    for (const { quality, box, others } of faces) {
      assert.equal(quality, Math.round(others.detectionScore * 100));
      assert.ok(others.detectionScore >= 0.5 && others.detectionScore <= 1);
      assert.ok(Math.abs(others.roll) < 45 && Math.abs(others.yaw) < 1.5, JSON.stringify(others));
      // The eyes are a third to two thirds of the face's width apart.
      assert.ok(others.eyeDistance > box.width / 3 && others.eyeDistance < (box.width * 2) / 3, JSON.stringify({ box, others }));
    }
  });
});

describe('the threads', () => {
  it('never loads TensorFlow.js on the main thread', () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    assert.ok(all.length > 0);
    assert.deepEqual(
      loaded.filter((file) => file.includes('@tensorflow') || file.includes('face-api')),
      [],
    );
  });

  it('refuses work once closed, including what was under way or queued', async () => {
    const other = await FaceModel.open(1);
    const image = await groupPhoto('sample2.jpg');
    const refused = Promise.all([assert.rejects(other.faces(image), UnavailableError), assert.rejects(other.faces(image), UnavailableError)]);
    await other.close();
    await refused;
    await assert.rejects(other.faces(image), UnavailableError);
  });
});
