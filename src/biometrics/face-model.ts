/**
 * The built-in face model (ADR 0160): `@vladmandic/face-api` 1.7.15 on TensorFlow.js's WebAssembly backend, with the
 * weights its npm package ships (nothing is downloaded at run time). SSD MobileNet v1 finds faces, the 68-point
 * landmarks align them, and dlib's ResNet-34 face recogniser gives each face 128 values (its published accuracy:
 * 99.38 % on LFW at a Euclidean distance of 0.6, see face-api's TUTORIAL.md).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { InvalidError } from '../shared/domain-errors.js';

const require = createRequire(import.meta.url);
// The package's `exports` map offers no node-wasm entry: the build is loaded by its path.
const packageDir = path.dirname(require.resolve('@vladmandic/face-api/package.json'));
type FaceApi = typeof import('@vladmandic/face-api');
type Tf = typeof import('@tensorflow/tfjs');

/** Images larger than this (pixels) are refused before decoding; a decompression bomb never reaches memory. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Faces are looked for on the image scaled down to this side: detection needs no more, and it bounds the work. */
const DETECTION_SIDE = 1024;
/** SSD's confidence above which a region is a face. */
const MIN_FACE_CONFIDENCE = 0.5;

export interface FaceTemplate {
  /** The 128 values of the face (float32). */
  vector: Float32Array;
  /** The detector's confidence that this is a face, 0–100 (OSIA's `quality` is an integer). */
  quality: number;
  /** Where the face is, in the pixels of the image as given. */
  box: { x: number; y: number; width: number; height: number };
}

export class FaceModel {
  readonly templateFormat = 'OSIA_SERVER_FACE_DLIB128_F32';
  readonly algorithm = 'dlib ResNet-34 face descriptor (face-api 1.7.15, SSD MobileNet v1 detector)';
  readonly vendor = 'osia-server';

  private constructor(
    private readonly faceapi: FaceApi,
    private readonly tf: Tf,
  ) {}

  static async open(): Promise<FaceModel> {
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
    return new FaceModel(faceapi, tf);
  }

  /** Every face of an image (JPEG, PNG, WebP…); refuses what is not a readable image. */
  async faces(image: Buffer): Promise<FaceTemplate[]> {
    const { data, info, scale } = await decode(image);
    const tensor = this.tf.tensor3d(data, [info.height, info.width, 3], 'int32');
    try {
      const found = await this.faceapi
        .detectAllFaces(tensor as never, new this.faceapi.SsdMobilenetv1Options({ minConfidence: MIN_FACE_CONFIDENCE }))
        .withFaceLandmarks()
        .withFaceDescriptors();
      return found.map(({ detection, descriptor }) => ({
        vector: Float32Array.from(descriptor),
        quality: Math.round(detection.score * 100),
        box: {
          x: Math.round(detection.box.x / scale),
          y: Math.round(detection.box.y / scale),
          width: Math.round(detection.box.width / scale),
          height: Math.round(detection.box.height / scale),
        },
      }));
    } finally {
      tensor.dispose();
    }
  }

  /** The template of the one face of a portrait: none, or several, is the caller's mistake. */
  async template(image: Buffer): Promise<FaceTemplate> {
    const faces = await this.faces(image);
    if (faces.length === 0) throw new InvalidError('no face was found in the FACE image');
    const [face, second] = faces;
    if (second !== undefined || face === undefined) {
      throw new InvalidError(`the FACE image shows ${faces.length} faces; a portrait must show exactly one`);
    }
    return face;
  }
}

async function decode(image: Buffer) {
  try {
    const source = sharp(image, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
    const { width = 0, height = 0 } = await source.metadata();
    const scale = Math.min(1, DETECTION_SIDE / Math.max(width, height, 1));
    const resized = scale < 1 ? source.resize(Math.round(width * scale), Math.round(height * scale)) : source;
    const { data, info } = await resized.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, info, scale };
  } catch (err) {
    throw new InvalidError(`the FACE image cannot be read: ${(err as Error).message}`);
  }
}
