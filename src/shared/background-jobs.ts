import type { Logger } from 'pino';

/** The app's background jobs (delivery workers …): the server starts them once listening and stops them on shutdown. */
export interface BackgroundJob {
  /** What the job does, in a few words (logs, and the list of an app's jobs). */
  readonly name: string;
  start(): void;
  stop(): Promise<void>;
}

export class BackgroundJobs {
  readonly #jobs: BackgroundJob[] = [];

  add(job: BackgroundJob): void {
    this.#jobs.push(job);
  }

  /** The names of the jobs, in start order. */
  names(): string[] {
    return this.#jobs.map((job) => job.name);
  }

  startAll(): void {
    for (const job of this.#jobs) job.start();
  }

  /** Stops the jobs one after the other, the last started first: a job may use what an earlier one keeps running. */
  async stopAll(): Promise<void> {
    for (const job of [...this.#jobs].reverse()) await job.stop();
  }
}

/**
 * A task run every `intervalMs` (never two rounds at once), and sooner when woken. Its timer does not keep the
 * process alive; `stop` waits for the round under way. A failed round is logged and the next one runs as planned.
 */
export class PeriodicJob implements BackgroundJob {
  #timer?: NodeJS.Timeout;
  #round?: Promise<void>;
  #again = false;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => this.#run(), this.intervalMs).unref();
  }

  /** Runs a round now, or right after the one under way (new work was just written); a no-op while stopped. */
  wake(): void {
    if (!this.#timer) return;
    if (this.#round) this.#again = true;
    else this.#run();
  }

  #run(): void {
    this.#round ??= this.task()
      .then(() => undefined)
      .catch((err: unknown) => this.logger.error({ err, job: this.name }, `${this.name} failed`))
      .finally(() => {
        this.#round = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#again = false;
    await this.#round;
  }
}
