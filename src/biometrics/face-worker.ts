/**
 * The entry of one face-model thread (started by src/biometrics/face-model.ts): loads the model, says `ready`, then
 * answers each image with its faces, or with the refusal to hand back as an InvalidError. One image at a time.
 */
import { parentPort } from 'node:worker_threads';
import { InvalidError } from '../shared/domain-errors.js';
import { type FaceTemplate, loadFaceExtractor } from './face-extraction.js';

export type FaceWorkerReply = { ready: true } | { faces: FaceTemplate[] } | { invalid: string } | { failed: string };

const port = parentPort;
if (!port) throw new Error('face-worker.ts runs as a worker thread of FaceModel');
const reply = (message: FaceWorkerReply) => port.postMessage(message);
const extractor = await loadFaceExtractor();
port.on('message', (image: Uint8Array) => {
  extractor.faces(image).then(
    (faces) => reply({ faces }),
    (err: Error) => reply(err instanceof InvalidError ? { invalid: err.message } : { failed: err.message }),
  );
});
reply({ ready: true });
