/**
 * The event wiring file (`OSIA_EVENTS`): per component (the PR, the CMS), the Notification engine it uses and the
 * events it publishes and reacts to, the topic of each event type, and how each reaction behaves. Read and checked
 * once at start-up: a bad file stops the server with one line. See docs/behaviour/notification.md, "Event flows".
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/config-options.js';
import { readYamlConfig } from '../config/yaml-config.js';

/** What the PR publishes, after its changes commit. */
export const PR_EVENTS = ['newPerson', 'updatePerson', 'duplicatePerson'] as const;
export type PrEvent = (typeof PR_EVENTS)[number];

/** What each component can react to. */
export const REACTIONS = { pr: ['death', 'liveBirth', 'duplicatePerson'], cms: ['death'] } as const;
export type Component = keyof typeof REACTIONS;
export type Reaction<C extends Component = Component> = (typeof REACTIONS)[C][number];
export type EventType = PrEvent | Reaction;

/** `local`: this server's own Notification service, in-process; otherwise an external OSIA Notification server. */
export type EngineConfig = 'local' | { url: string; token: string };

export interface ComponentConfig<C extends Component = Component> {
  engine: EngineConfig;
  publishes: readonly PrEvent[];
  subscribes: readonly Reaction<C>[];
}

export interface RemoteSource {
  /** Base URL of the civil registry's Data Access interface, prefix included (`https://cr.example/dataaccess`). */
  url: string;
  token: string;
}

export interface FlowConfig {
  /** The `source` written in every event this server publishes; events carrying it are not reacted to. */
  source: string;
  topics: Readonly<Record<EventType, string>>;
  components: { pr?: ComponentConfig<'pr'>; cms?: ComponentConfig<'cms'> };
  death: { credentials: 'suspend' | 'revoke' };
  liveBirth?: { civilRegistry: RemoteSource; identityType: string; attributes: readonly string[]; parentAttributes: readonly string[] };
  duplicatePerson: { action: 'merge' | 'flag' };
  /** The subscription policy asked for ("countdown,max"), engine default when absent. */
  policy?: string;
  relay: { intervalMs: number; leaseMs: number };
  /** How often start-up subscriptions not yet made are tried again. */
  subscribeRetryMs: number;
}

const ALL_EVENTS = [...new Set<EventType>([...PR_EVENTS, ...REACTIONS.pr, ...REACTIONS.cms])];
const NAME = { type: 'string', pattern: '^[A-Za-z0-9._~-]{1,128}$' } as const;
const URL_PATTERN = { type: 'string', pattern: '^https?://[^\\s?#]+$' } as const;
const remote = {
  type: 'object',
  required: ['url'],
  properties: { url: URL_PATTERN, token: { type: 'string', minLength: 1 }, tokenFile: { type: 'string', minLength: 1 } },
  oneOf: [{ required: ['token'] }, { required: ['tokenFile'] }],
  additionalProperties: false,
} as const;
const component = (subscribable: readonly string[], publishable: readonly string[]) => ({
  type: 'object',
  required: ['engine'],
  properties: {
    engine: { oneOf: [{ const: 'local' }, remote] },
    // The CMS publishes nothing (yet): an empty list at most.
    publishes: publishable.length > 0 ? { type: 'array', items: { enum: publishable }, uniqueItems: true } : { type: 'array', maxItems: 0 },
    subscribes: { type: 'array', items: { enum: subscribable }, uniqueItems: true },
  },
  additionalProperties: false,
});
const names = { type: 'array', items: NAME, minItems: 1, uniqueItems: true } as const;

const SCHEMA = {
  type: 'object',
  required: ['source', 'components'],
  properties: {
    source: NAME,
    topics: { type: 'object', propertyNames: { enum: ALL_EVENTS }, additionalProperties: NAME },
    components: {
      type: 'object',
      properties: { pr: component(REACTIONS.pr, PR_EVENTS), cms: component(REACTIONS.cms, []) },
      additionalProperties: false,
    },
    reactions: {
      type: 'object',
      properties: {
        death: { type: 'object', properties: { credentials: { enum: ['suspend', 'revoke'] } }, additionalProperties: false },
        liveBirth: {
          type: 'object',
          required: ['civilRegistry'],
          properties: { civilRegistry: remote, identityType: NAME, attributes: names, parentAttributes: names },
          additionalProperties: false,
        },
        duplicatePerson: { type: 'object', properties: { action: { enum: ['merge', 'flag'] } }, additionalProperties: false },
      },
      additionalProperties: false,
    },
    policy: { type: 'string', pattern: '^\\d+(,-?\\d+)?$' },
    relay: {
      type: 'object',
      properties: { intervalMs: { type: 'integer', minimum: 10, maximum: 600_000 }, leaseSeconds: { type: 'integer', minimum: 1, maximum: 3600 } },
      additionalProperties: false,
    },
    subscribeRetrySeconds: { type: 'integer', minimum: 1, maximum: 86_400 },
  },
  additionalProperties: false,
} as const;

type RemoteEntry = { url: string; token?: string; tokenFile?: string };
interface ComponentEntry {
  engine: 'local' | RemoteEntry;
  publishes?: PrEvent[];
  subscribes?: string[];
}
interface FlowFile {
  source: string;
  topics?: Partial<Record<EventType, string>>;
  components: { pr?: ComponentEntry; cms?: ComponentEntry };
  reactions?: {
    death?: { credentials?: 'suspend' | 'revoke' };
    liveBirth?: { civilRegistry: RemoteEntry; identityType?: string; attributes?: string[]; parentAttributes?: string[] };
    duplicatePerson?: { action?: 'merge' | 'flag' };
  };
  policy?: string;
  relay?: { intervalMs?: number; leaseSeconds?: number };
  subscribeRetrySeconds?: number;
}

const OPTION = 'OSIA_EVENTS';

/** A token given inline or in a file (secret files end with a newline; a token holds no whitespace). */
function tokenOf(file: string, where: string, entry: RemoteEntry): string {
  let token = entry.token;
  if (entry.tokenFile !== undefined) {
    try {
      token = readFileSync(entry.tokenFile, 'utf8');
    } catch (err) {
      throw new ConfigError(`${OPTION} ${file}: ${where}.tokenFile ${entry.tokenFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  }
  token = token?.trim();
  if (!token || /\s/.test(token)) throw new ConfigError(`${OPTION} ${file}: ${where} gives an empty token, or one with whitespace inside`);
  return token;
}

function componentOf<C extends Component>(file: string, name: C, entry: ComponentEntry | undefined): ComponentConfig<C> | undefined {
  if (!entry) return undefined;
  const engine = entry.engine === 'local' ? 'local' : { url: entry.engine.url, token: tokenOf(file, `components.${name}.engine`, entry.engine) };
  return { engine, publishes: entry.publishes ?? [], subscribes: (entry.subscribes ?? []) as Reaction<C>[] };
}

/** Reads and checks the wiring file; the token files it names are read here, once. */
export async function loadFlowConfig(file: string): Promise<FlowConfig> {
  const content = await readYamlConfig<FlowFile>(file, OPTION, SCHEMA);
  const { reactions = {} } = content;
  const pr = componentOf(file, 'pr', content.components.pr);
  const cms = componentOf(file, 'cms', content.components.cms);
  const birth = reactions.liveBirth;
  if (pr?.subscribes.includes('liveBirth') && !birth) {
    throw new ConfigError(`${OPTION} ${file}: components.pr subscribes to liveBirth, which needs reactions.liveBirth.civilRegistry`);
  }
  const topics = Object.fromEntries(ALL_EVENTS.map((event) => [event, content.topics?.[event] ?? event])) as Record<EventType, string>;
  return {
    source: content.source,
    topics,
    components: { ...(pr ? { pr } : {}), ...(cms ? { cms } : {}) },
    death: { credentials: reactions.death?.credentials ?? 'suspend' },
    ...(birth
      ? {
          liveBirth: {
            civilRegistry: { url: birth.civilRegistry.url.replace(/\/+$/, ''), token: tokenOf(file, 'reactions.liveBirth.civilRegistry', birth.civilRegistry) },
            identityType: birth.identityType ?? 'CIVIL',
            attributes: birth.attributes ?? ['firstName', 'lastName', 'dateOfBirth', 'placeOfBirth', 'gender'],
            parentAttributes: birth.parentAttributes ?? ['firstName', 'lastName'],
          },
        }
      : {}),
    duplicatePerson: { action: reactions.duplicatePerson?.action ?? 'merge' },
    ...(content.policy ? { policy: content.policy } : {}),
    relay: { intervalMs: content.relay?.intervalMs ?? 1000, leaseMs: (content.relay?.leaseSeconds ?? 30) * 1000 },
    subscribeRetryMs: (content.subscribeRetrySeconds ?? 30) * 1000,
  };
}
