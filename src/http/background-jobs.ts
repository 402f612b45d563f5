/** The app's background jobs (delivery workers …): the server starts them once listening and stops them on shutdown. */
export interface BackgroundJob {
  start(): void;
  stop(): Promise<void>;
}

export class BackgroundJobs {
  readonly #jobs: BackgroundJob[] = [];

  add(job: BackgroundJob): void {
    this.#jobs.push(job);
  }

  startAll(): void {
    for (const job of this.#jobs) job.start();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#jobs.map((job) => job.stop()));
  }
}
