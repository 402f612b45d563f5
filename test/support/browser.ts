/**
 * Debian's Chromium driven by playwright-core, for the end-to-end tests of the citizen's pages. Each launch gets a
 * new HOME (so its own NSS database) and a new profile, both removed on close.
 */
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { type ClientIdentity, createNssDatabase, NSS_TOOLS } from './nss-database.js';

/** What this machine's closed network and a root user need (docs: .library machines/node.md). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  return process.env.OSIA_CHROMIUM || '/usr/bin/chromium';
}

function executable(file: string): boolean {
  const candidates = file.includes('/') ? [file] : (process.env.PATH ?? '').split(':').map((dir) => path.join(dir, file));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Why the browser tests cannot run here, or false when they can: for `describe(name, { skip })`. `nss` asks for the
 * NSS tools too (client certificates, trusted CAs). On CI (CI=true) a missing tool throws instead: a skipped
 * end-to-end test must not pass for a green run.
 */
export function browserSkipReason(needs: { nss?: boolean } = {}): string | false {
  const tools = [chromiumPath(), ...(needs.nss ? NSS_TOOLS : [])];
  const missing = tools.filter((tool) => !executable(tool));
  if (missing.length === 0) return false;
  const reason = `not found: ${missing.join(', ')} (.ci/run installs Debian's chromium and libnss3-tools; OSIA_CHROMIUM names another Chromium)`;
  if (process.env.CI === 'true') throw new Error(`browser tests cannot run on CI, ${reason}`);
  return `browser tests skipped, ${reason}`;
}

export interface LaunchOptions {
  /** CAs Chromium trusts for HTTPS, as a user who imported them would: certificate errors stay errors. */
  trustedCaPems?: string[];
  /** A client certificate that Chromium presents to these origins without asking. */
  clientCertificate?: ClientIdentity & { origins: string[] };
  /** The browser's language, hence its Accept-Language. */
  locale?: string;
  /** False for a browser whose pages run no script (the pages must work without). */
  javaScriptEnabled?: boolean;
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Milliseconds from launch to a usable browser. */
  launchMs: number;
  close(): Promise<void>;
}

/**
 * Chromium takes managed policies only from /etc/chromium/policies. A profile's Local State may instead carry the
 * policies of chrome://policy/test, which a build without Google branding applies once at its next start.
 */
function policiesForNextStart(policies: Record<string, unknown>): string {
  const list = Object.entries(policies).map(([name, value]) => ({ name, value, level: 1, scope: 1, source: 5 })); // mandatory, machine, platform
  return JSON.stringify({ local_test_policies_for_next_startup: JSON.stringify(list) });
}

export async function launchBrowser(options: LaunchOptions = {}): Promise<TestBrowser> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'osia-browser-'));
  const home = path.join(root, 'home');
  const profile = path.join(root, 'profile');
  await mkdir(profile, { recursive: true });
  try {
    const { trustedCaPems, clientCertificate } = options;
    if (trustedCaPems?.length || clientCertificate) {
      await createNssDatabase(home, root, { trustedCaPems, clientIdentity: clientCertificate });
    }
    if (clientCertificate) {
      // Headless Chromium has no certificate picker: without this policy it waits for a choice forever.
      const rules = clientCertificate.origins.map((pattern) => JSON.stringify({ pattern, filter: {} }));
      await writeFile(path.join(profile, 'Local State'), policiesForNextStart({ AutoSelectCertificateForUrls: rules }));
    }
    const started = performance.now();
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      args: CHROMIUM_FLAGS,
      env: { ...process.env, HOME: home },
      ...(options.locale ? { locale: options.locale } : {}),
      ...(options.javaScriptEnabled === false ? { javaScriptEnabled: false } : {}),
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const launchMs = Math.round(performance.now() - started);
    return {
      context,
      page,
      launchMs,
      close: async () => {
        await context.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** Saves a full-page PNG of `page` as `<dir>/<name>.png` (docs/screenshots by default) and returns its path. */
export async function saveScreenshot(page: Page, name: string, dir = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots')): Promise<string> {
  const file = path.join(dir, `${name}.png`);
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
