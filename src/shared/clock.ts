/**
 * The time of the app. Every "now" in src/ comes from the one `Clock` the composition root injects, so that a test
 * moves time by hand instead of waiting or allowing tolerances. `systemClock` is the only place that reads the
 * system time (the exceptions are listed in scripts/check-clock.ts, each with its reason).
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
