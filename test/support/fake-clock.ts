/** A clock that stands still until the test moves it: given to an app instead of the system clock. */
export interface FakeClock {
  (): Date;
  advance(seconds: number): void;
  set(date: Date | string): void;
}

export function fakeClock(start: number | string = Date.parse('2026-01-01T00:00:00Z')): FakeClock {
  let now = typeof start === 'string' ? Date.parse(start) : start;
  const clock = (() => new Date(now)) as FakeClock;
  clock.advance = (seconds) => {
    now += seconds * 1000;
  };
  clock.set = (date) => {
    now = new Date(date).getTime();
  };
  return clock;
}
