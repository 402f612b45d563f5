/** The levelled chip of src/biometrics/face-chip.ts: the eyes of a tilted face land on one row of the chip. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chipTransform } from '../../src/biometrics/face-chip.js';

type Point = { x: number; y: number };

/** The chip pixel (u, v) on the image, as TensorFlow.js's `image.transform` reads it. */
function toImage(t: number[], u: number, v: number): Point {
  const [a0 = 0, a1 = 0, a2 = 0, b0 = 0, b1 = 0, b2 = 0] = t;
  return { x: a0 * u + a1 * v + a2, y: b0 * u + b1 * v + b2 };
}

/** The chip pixel showing the image point p (the transform is a similarity: invert its 2×2 part). */
function toChip(t: number[], p: Point): Point {
  const [a0 = 0, a1 = 0, a2 = 0, b0 = 0, b1 = 0, b2 = 0] = t;
  const det = a0 * b1 - a1 * b0;
  const x = p.x - a2;
  const y = p.y - b2;
  return { x: (b1 * x - a1 * y) / det, y: (a0 * y - b0 * x) / det };
}

const turn = (p: Point, about: Point, degrees: number): Point => {
  const r = (degrees * Math.PI) / 180;
  const dx = p.x - about.x;
  const dy = p.y - about.y;
  return { x: about.x + Math.cos(r) * dx - Math.sin(r) * dy, y: about.y + Math.sin(r) * dx + Math.cos(r) * dy };
};

describe('the face chip', () => {
  const left = { x: 100, y: 200 };
  const right = { x: 160, y: 200 };
  const mouth = { x: 130, y: 254 };

  it('is face-api’s dlib box, unturned, for a level face', () => {
    const t = chipTransform(left, right, mouth);
    // size = eye-to-mouth distance / 0.45; the box's corner at the points' centre − (0.5, 0.43) × size.
    const size = Math.hypot(30, 54) / 0.45;
    const corner = toImage(t, 0, 0);
    assert.ok(Math.abs(corner.x - (130 - 0.5 * size)) < 1e-9 && Math.abs(corner.y - (218 - 0.43 * size)) < 1e-9, JSON.stringify(corner));
    assert.ok(Math.abs(toImage(t, 150, 150).x - corner.x - size) < 1e-9);
    // Unturned: the chip's left edge is upright on the image.
    assert.equal(toImage(t, 0, 150).x, corner.x);
  });

  it('puts the eyes and mouth of a tilted face where they are on the level face', () => {
    const level = chipTransform(left, right, mouth);
    for (const degrees of [-29, 12]) {
      const about = { x: 400, y: 50 };
      const [l, r, m] = [left, right, mouth].map((p) => turn(p, about, degrees)) as [Point, Point, Point];
      const tilted = chipTransform(l, r, m);
      for (const [original, moved] of [[left, l], [right, r], [mouth, m]] as const) {
        const expected = toChip(level, original);
        const got = toChip(tilted, moved);
        assert.ok(Math.hypot(expected.x - got.x, expected.y - got.y) < 1e-6, `${degrees}°: ${JSON.stringify({ expected, got })}`);
      }
    }
  });
});
