/**
 * The built-in face model (ADR 0160): `@vladmandic/face-api` 1.7.15 (src/biometrics/face-extraction.ts) run in a
 * small pool of worker threads, so that an extraction (0.3–1 s of CPU) never blocks the server's other requests.
 * dlib's ResNet-34 face recogniser gives each face 128 values (its published accuracy: 99.38 % on LFW at a Euclidean
 * distance of 0.6, see face-api's TUTORIAL.md).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { InvalidError, UnavailableError } from '../shared/domain-errors.js';
import type { FaceTemplate } from './face-extraction.js';
import type { FaceWorkerReply } from './face-worker.js';

export { type FaceTemplate, MAX_IMAGE_PIXELS } from './face-extraction.js';

const fromSource = import.meta.url.endsWith('.ts');
const WORKER_FILE = new URL(`./face-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url);

/** The compiled build runs the worker's file; from source (tests, `tsx`), tsx's loader is registered in the thread first. */
function startWorker(): Worker {
  if (!fromSource) return new Worker(WORKER_FILE);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(WORKER_FILE.href)}))`;
  return new Worker(boot, { eval: true });
}

interface Job {
  image: Uint8Array;
  resolve(faces: FaceTemplate[]): void;
  reject(err: Error): void;
}

export class FaceModel {
  readonly templateFormat = 'OSIA_SERVER_FACE_DLIB128_F32';
  readonly algorithm = 'dlib ResNet-34 face descriptor (face-api 1.7.15, SSD MobileNet v1 detector)';
  readonly vendor = 'osia-server';
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Job>();
  readonly #queue: Job[] = [];
  #closed = false;

  private constructor(readonly threads: number) {}

  /** Starts the threads (one fewer than the cores, at least one) and resolves once each has loaded the model. */
  static async open(threads = Math.max(1, os.availableParallelism() - 1)): Promise<FaceModel> {
    const model = new FaceModel(threads);
    try {
      await Promise.all(Array.from({ length: threads }, () => model.#spawn()));
    } catch (err) {
      await model.close();
      throw err;
    }
    return model;
  }

  /** Every face of an image (JPEG, PNG, WebP…); refuses what is not a readable image. */
  faces(image: Uint8Array): Promise<FaceTemplate[]> {
    if (this.#closed) return Promise.reject(new UnavailableError('the face model is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ image, resolve, reject });
      this.#dispatch();
    });
  }

  /** The template of the one face of a portrait: none, or several, is the caller's mistake. */
  async template(image: Uint8Array): Promise<FaceTemplate> {
    const faces = await this.faces(image);
    if (faces.length === 0) throw new InvalidError('no face was found in the FACE image');
    const [face, second] = faces;
    if (second !== undefined || face === undefined) {
      throw new InvalidError(`the FACE image shows ${faces.length} faces; a portrait must show exactly one`);
    }
    return face;
  }

  /** Refuses what is queued or under way and ends the threads. */
  async close(): Promise<void> {
    this.#closed = true;
    const stopped = new UnavailableError('the face model was closed');
    for (const job of [...this.#queue.splice(0), ...this.#busy.values()]) job.reject(stopped);
    const workers = [...this.#idle.splice(0), ...this.#busy.keys()];
    this.#busy.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  /** A new thread, idle once its model is loaded; a thread that dies is replaced, failing only its own image. */
  #spawn(): Promise<void> {
    const worker = startWorker();
    return new Promise((resolve, reject) => {
      worker.once('message', (first: FaceWorkerReply) => {
        if (!('ready' in first)) return reject(new Error('the face-model thread did not start'));
        worker.on('message', (reply: FaceWorkerReply) => this.#settle(worker, reply));
        worker.off('error', reject);
        worker.off('exit', exited);
        let cause = 'it exited';
        worker.on('error', (err) => {
          cause = err.message;
        });
        worker.on('exit', () => this.#lose(worker, cause));
        if (this.#closed) return resolve(void worker.terminate());
        this.#idle.push(worker);
        worker.unref();
        this.#dispatch();
        resolve();
      });
      const exited = (code: number) => reject(new Error(`the face-model thread exited (code ${code}) before it was ready`));
      worker.once('error', reject);
      worker.once('exit', exited);
    });
  }

  #dispatch(): void {
    for (let worker = this.#idle.pop(); worker; worker = this.#idle.pop()) {
      const job = this.#queue.shift();
      if (!job) {
        this.#idle.push(worker);
        return;
      }
      this.#busy.set(worker, job);
      // A busy thread keeps the process alive until its answer is in; an idle one does not.
      worker.ref();
      // Structured cloning copies a view's whole buffer: a slice of a larger one (a request body) goes alone.
      const { image } = job;
      worker.postMessage(image.byteLength === image.buffer.byteLength ? image : image.slice());
    }
  }

  #settle(worker: Worker, reply: FaceWorkerReply): void {
    const job = this.#busy.get(worker);
    if (!job) return;
    this.#busy.delete(worker);
    worker.unref();
    this.#idle.push(worker);
    if ('faces' in reply) job.resolve(reply.faces);
    else if ('invalid' in reply) job.reject(new InvalidError(reply.invalid));
    else job.reject(new Error(`the face model failed: ${'failed' in reply ? reply.failed : 'unexpected reply'}`));
    this.#dispatch();
  }

  #lose(worker: Worker, cause: string): void {
    if (this.#closed) return;
    this.#busy.get(worker)?.reject(new UnavailableError(`the face model's thread stopped: ${cause}`));
    this.#busy.delete(worker);
    const idle = this.#idle.indexOf(worker);
    if (idle >= 0) this.#idle.splice(idle, 1);
    this.#spawn().catch((err: Error) => {
      // Without any thread left, what waits would wait for ever.
      if (this.#idle.length + this.#busy.size > 0) return;
      for (const job of this.#queue.splice(0)) job.reject(new UnavailableError(`the face model cannot restart: ${err.message}`));
    });
  }
}
