/**
 * Real face photographs for the biometric tests: the group photos shipped in @vladmandic/face-api's npm package
 * (demo/sample1.jpg … sample6.jpg, taken by the package's author, MIT licence). They are read from node_modules, never
 * copied into the repo. A portrait is one detected face cropped out of its group photo with a margin; the variants
 * are the same face as another capture would give it (tighter crop, smaller, tilted, low-quality JPEG, darker).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { FaceModel, FaceTemplate } from '../../src/biometrics/face-model.js';

const demoDir = path.join(path.dirname(createRequire(import.meta.url).resolve('@vladmandic/face-api/package.json')), 'demo');
export const GROUP_PHOTOS = [1, 2, 3, 4, 5, 6].map((n) => `sample${n}.jpg`);

export interface Portrait {
  /** `sample3.jpg#2`: the photo and the rank of the face in it (left to right). */
  name: string;
  photo: string;
  /** The face in the photo's pixels. */
  box: { x: number; y: number; width: number; height: number };
  /** PNG of the face with a margin of 0.8 × its size on every side (SSD finds faces more surely with context). */
  image: Buffer;
  /** The model's template of `image`. */
  template: FaceTemplate;
}

export function groupPhoto(name: string): Promise<Buffer> {
  return readFile(path.join(demoDir, name));
}

/** The photo's region around `box`, grown by `margin` × the box's size on every side (clipped to the photo), as PNG. */
export async function cropFace(photo: Buffer, box: Portrait['box'], margin: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(photo).metadata();
  const left = Math.max(0, Math.round(box.x - box.width * margin));
  const top = Math.max(0, Math.round(box.y - box.height * margin));
  const right = Math.min(width, Math.round(box.x + box.width * (1 + margin)));
  const bottom = Math.min(height, Math.round(box.y + box.height * (1 + margin)));
  return sharp(photo)
    .extract({ left, top, width: right - left, height: bottom - top })
    .png()
    .toBuffer();
}

let cached: Promise<Portrait[]> | undefined;

const PORTRAIT_MARGIN = 0.8;

/**
 * Every face of every group photo as a portrait, with its template; computed once per process (about 15 s). A face the
 * model finds in the group photo but not alone in its crop (sample2.jpg#1, half turned away) is left out.
 */
export function portraits(model: FaceModel): Promise<Portrait[]> {
  cached ??= (async () => {
    const all: Portrait[] = [];
    for (const photo of GROUP_PHOTOS) {
      const bytes = await groupPhoto(photo);
      const faces = (await model.faces(bytes)).sort((a, b) => a.box.x - b.box.x);
      for (const [rank, face] of faces.entries()) {
        const image = await cropFace(bytes, face.box, PORTRAIT_MARGIN);
        const found = await model.faces(image);
        if (found.length === 1 && found[0]) all.push({ name: `${photo}#${rank + 1}`, photo, box: face.box, image, template: found[0] });
      }
    }
    return all;
  })();
  return cached;
}

/** Another capture of the portrait's face, made from its group photo or from the portrait itself. */
export const VARIANTS: Record<string, (portrait: Portrait) => Promise<Buffer>> = {
  'cropped tighter': async (p) => cropFace(await groupPhoto(p.photo), p.box, 0.4),
  'scaled down by half': async (p) => {
    const { width = 0 } = await sharp(p.image).metadata();
    return sharp(p.image).resize(Math.round(width / 2)).png().toBuffer();
  },
  'rotated +5°': (p) => sharp(p.image).rotate(5, { background: '#808080' }).png().toBuffer(),
  'rotated −5°': (p) => sharp(p.image).rotate(-5, { background: '#808080' }).png().toBuffer(),
  'JPEG at quality 20': (p) => sharp(p.image).jpeg({ quality: 20 }).toBuffer(),
  darker: (p) => sharp(p.image).linear(0.7, 0).png().toBuffer(),
};

/** A generated image without a face: a smooth gradient. */
export function faceless(): Promise<Buffer> {
  const width = 320;
  const height = 240;
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = (y * width + x) * 3;
      pixels[at] = Math.round((x / width) * 255);
      pixels[at + 1] = Math.round((y / height) * 255);
      pixels[at + 2] = 128;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}
