/**
 * Where the face recogniser's square chip lies in an image: face-api's dlib-style box (its size from the eye-to-mouth
 * distance, placed around the eyes and mouth), but turned so that the eyes are level, as dlib's own chips are. Pure
 * arithmetic, so that it runs (and is tested) without TensorFlow.js.
 */
type Point = { x: number; y: number };

/** face-api's alignment constants (FaceLandmarks.alignDlib): the eye-to-mouth distance over the box's size, and the box's anchor. */
const EYES_TO_MOUTH = 0.45;
const ANCHOR_X = 0.5;
const ANCHOR_Y = 0.43;

/**
 * The projective transform (TensorFlow.js's `image.transform`: 8 numbers mapping each pixel of the chip to a point of
 * the image) of a `side`-pixel chip levelled by the eye line through `leftEye` and `rightEye`.
 */
export function chipTransform(leftEye: Point, rightEye: Point, mouth: Point, side = 150): number[] {
  const angle = Math.atan2(rightEye.y - leftEye.y, rightEye.x - leftEye.x);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const pivot = { x: (leftEye.x + rightEye.x) / 2, y: (leftEye.y + rightEye.y) / 2 };
  // The three points in the levelled frame (turned by −angle about the eyes' midpoint).
  const level = (p: Point) => {
    const dx = p.x - pivot.x;
    const dy = p.y - pivot.y;
    return { x: pivot.x + cos * dx + sin * dy, y: pivot.y - sin * dx + cos * dy };
  };
  const [left, right, lips] = [level(leftEye), level(rightEye), level(mouth)] as [Point, Point, Point];
  const size = (Math.hypot(lips.x - left.x, lips.y - left.y) + Math.hypot(lips.x - right.x, lips.y - right.y)) / 2 / EYES_TO_MOUTH;
  const x0 = (left.x + right.x + lips.x) / 3 - ANCHOR_X * size - pivot.x;
  const y0 = (left.y + right.y + lips.y) / 3 - ANCHOR_Y * size - pivot.y;
  const step = size / side;
  // chip (u, v) → levelled point (x0 + u·step, y0 + v·step) about the pivot → image, turned back by +angle.
  return [step * cos, -step * sin, cos * x0 - sin * y0 + pivot.x, step * sin, step * cos, sin * x0 + cos * y0 + pivot.y, 0, 0];
}
