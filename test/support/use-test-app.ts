/**
 * One test app for a file or a describe block: opened in `before`, closed in `after`. The returned object reads the
 * app opened for the running tests, so that suites write `const t = useTestApp(options)` and use `t.app` in tests.
 */
import { after, before } from 'node:test';
import { createTestApp, type TestApp, type TestAppOptions } from './test-app.js';

/** `options` may be a function, for options that need files written first. */
export function useTestApp(options: TestAppOptions | (() => Promise<TestAppOptions>) = {}): TestApp {
  let opened: TestApp | undefined;
  before(async () => {
    opened = await createTestApp(typeof options === 'function' ? await options() : options);
  });
  after(async () => {
    await opened?.close();
    opened = undefined;
  });
  const current = (): TestApp => {
    if (!opened) throw new Error('the test app is open only while the tests of its block run');
    return opened;
  };
  return {
    get app() {
      return current().app;
    },
    get storage() {
      return current().storage;
    },
    get services() {
      return current().services;
    },
    get jobs() {
      return current().jobs;
    },
    get dataDir() {
      return current().dataDir;
    },
    close: () => current().close(),
  };
}
