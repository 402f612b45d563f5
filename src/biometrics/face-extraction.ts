/**
 * What one face-model thread does (src/biometrics/face-worker.ts): `@vladmandic/face-api` 1.7.15 on TensorFlow.js's
 * WebAssembly backend, with the weights its npm package ships (nothing is downloaded at run time). SSD MobileNet v1
 * finds faces, the 68-point landmarks align them (src/biometrics/face-chip.ts), and dlib's ResNet-34 face recogniser
 * gives each face 128 values.
 * Loading takes about 0.4 s and one extraction 0.3–1 s of CPU: never on the server's event loop (ADR 0160).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { InvalidError } from '../shared/domain-errors.js';
import { chipTransform } from './face-chip.js';

const require = createRequire(import.meta.url);
// The package's `exports` map offers no node-wasm entry: the build is loaded by its path.
const packageDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
type FaceApi = typeof import('@vladmandic/face-api');
type Tf = typeof import('@tensorflow/tfjs');
type Point = { x: number; y: number };

/** Images larger than this (pixels) are refused before decoding; a decompression bomb never reaches memory. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Faces are looked for on the image scaled down to this side: detection needs no more, and it bounds the work. */
const DETECTION_SIDE = 1024;
/** SSD's confidence above which a region is a face. */
const MIN_FACE_CONFIDENCE = 0.5;
/** The side of the chip dlib's recogniser reads (face-api resizes any input to it). */
const CHIP_SIDE = 150;

export interface FaceTemplate {
  /** The 128 values of the face (float32). */
  vector: Float32Array;
  /** The detector's confidence that this is a face, 0–100 (OSIA's `quality` is an integer). */
  quality: number;
  /** Where the face is, in the pixels of the image as given. */
  box: { x: number; y: number; width: number; height: number };
  /** What the model tells of the capture beside the template (for OSIA's `others`); no liveness: face-api has no such model. */
  others: {
    /** SSD's confidence, 0–1. */
    detectionScore: number;
    /** The tilt of the line through the eyes, in degrees (positive: clockwise on the image). */
    roll: number;
    /** The nose tip's offset from the eyes' midpoint, over half the eye distance: 0 facing the camera, ±1 near profile. */
    yaw: number;
    /** Between the eye centres, in the pixels of the image as given (ICAO portraits ask for at least 90). */
    eyeDistance: number;
  };
}

/** A loaded model: one per thread, used for one image at a time. */
export interface FaceExtractor {
  faces(image: Uint8Array): Promise<FaceTemplate[]>;
}

export async function loadFaceExtractor(): Promise<FaceExtractor> {
  const tf: Tf = require('@tensorflow/tfjs');
  const wasm: typeof import('@tensorflow/tfjs-backend-wasm') = require('@tensorflow/tfjs-backend-wasm');
  // Emscripten reads the .wasm file itself when not told to use fetch (Node's fetch cannot read a file path).
  wasm.setWasmPaths(`${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`);
  await tf.setBackend('wasm');
  await tf.ready();
  const faceapi: FaceApi = require(path.join(packageDir, 'dist', 'face-api.node-wasm.js'));
  const weights = path.join(packageDir, 'model');
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(weights);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(weights);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(weights);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_FACE_CONFIDENCE });

  return {
    async faces(image) {
      const { data, info, scale } = await decode(image);
      const tensor = tf.tensor3d(data, [info.height, info.width, 3], 'int32');
      try {
        const found = await faceapi.detectAllFaces(tensor as never, options).withFaceLandmarks();
        const descriptors: Float32Array[] = [];
        if (found.length > 0) {
          const pixels = tf.tidy(() => tf.expandDims(tf.cast(tensor, 'float32'), 0) as import('@tensorflow/tfjs').Tensor4D);
          try {
            for (const { landmarks } of found) descriptors.push(await descriptor(pixels, landmarks));
          } finally {
            pixels.dispose();
          }
        }
        return found.map(({ detection, landmarks }, i) => ({
          vector: Float32Array.from(descriptors[i] ?? []),
          quality: Math.round(detection.score * 100),
          box: {
            x: Math.round(detection.box.x / scale),
            y: Math.round(detection.box.y / scale),
            width: Math.round(detection.box.width / scale),
            height: Math.round(detection.box.height / scale),
          },
          others: { detectionScore: round(detection.score, 3), ...pose(landmarks.getLeftEye(), landmarks.getRightEye(), landmarks.getNose(), scale) },
        }));
      } finally {
        tensor.dispose();
      }
    },
  };

  /**
   * The descriptor of the face's chip, levelled by its eye line, rather than face-api's own (an upright box, clipped at
   * the image's borders): a tilted head, or a face near an edge, then gives the template it gives upright and whole.
   */
  async function descriptor(pixels: import('@tensorflow/tfjs').Tensor4D, landmarks: import('@vladmandic/face-api').FaceLandmarks68) {
    const transform = chipTransform(centre(landmarks.getLeftEye()), centre(landmarks.getRightEye()), centre(landmarks.getMouth()), CHIP_SIDE);
    const chip = tf.tidy(() =>
      tf.squeeze(tf.image.transform(pixels, tf.tensor2d([transform]), 'bilinear', 'constant', 0, [CHIP_SIDE, CHIP_SIDE]), [0]),
    );
    try {
      return (await faceapi.computeFaceDescriptor(chip as never)) as Float32Array;
    } finally {
      chip.dispose();
    }
  }
}

/** Roll, yaw and eye distance from the 68 landmarks: arithmetic on points the model gave anyway. */
function pose(leftEye: Point[], rightEye: Point[], nose: Point[], scale: number) {
  const left = centre(leftEye);
  const right = centre(rightEye);
  const dx = right.x - left.x;
  const dy = right.y - left.y;
  const distance = Math.hypot(dx, dy);
  // Point 30 of the 68 (the 4th of the nose's 9) is its tip; its signed distance along the eye line from the midpoint.
  const tip = nose[3] ?? centre(nose);
  const along = ((tip.x - (left.x + right.x) / 2) * dx + (tip.y - (left.y + right.y) / 2) * dy) / distance;
  return {
    roll: round((Math.atan2(dy, dx) * 180) / Math.PI, 1),
    yaw: round(distance > 0 ? along / (distance / 2) : 0, 2),
    eyeDistance: Math.round(distance / scale),
  };
}

function centre(points: Point[]): Point {
  const sum = points.reduce((acc, p) => ({ x: acc.x + p.x, y: acc.y + p.y }), { x: 0, y: 0 });
  return { x: sum.x / Math.max(1, points.length), y: sum.y / Math.max(1, points.length) };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

async function decode(image: Uint8Array) {
  try {
    const source = sharp(image, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).autoOrient();
    // The upright size: a portrait taken sideways (EXIF orientation 5–8) has width and height swapped.
    const { width, height } = (await source.metadata()).autoOrient;
    const scale = Math.min(1, DETECTION_SIDE / Math.max(width, height, 1));
    const resized = scale < 1 ? source.resize(Math.round(width * scale), Math.round(height * scale)) : source;
    const { data, info } = await resized.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, info, scale };
  } catch (err) {
    throw new InvalidError(`the FACE image cannot be read: ${(err as Error).message}`);
  }
}
