/**
 * The event JSON carried as a Notification's `message` (inventory §1): `source` (the emitting system) and the
 * members of its type. A message that is not such JSON is the sender's mistake: 400, never a retry that could help.
 */
import { InvalidError } from '../shared/domain-errors.js';
import type { Reaction } from './flow-config.js';

export interface PersonEvent {
  source?: string;
  uin: string;
}
export interface BirthEvent extends PersonEvent {
  uin1?: string;
  uin2?: string;
}
export interface DuplicateEvent extends PersonEvent {
  duplicates: string[];
}

export interface ReactionEvents {
  death: PersonEvent;
  liveBirth: BirthEvent;
  duplicatePerson: DuplicateEvent;
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 256;

function optionalId(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (!isId(value)) throw new InvalidError(`event member ${name} must be a uin (a non-empty string)`);
  return value;
}

export function parseEvent<E extends Reaction>(type: E, message: string): ReactionEvents[E] {
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    throw new InvalidError(`the ${type} message must be event JSON, e.g. {"source": "cr", "uin": "…"}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidError(`the ${type} message must be a JSON object`);
  const fields = body as Record<string, unknown>;
  if (!isId(fields.uin)) throw new InvalidError(`the ${type} event needs uin (a non-empty string)`);
  const source = typeof fields.source === 'string' ? { source: fields.source } : {};
  const event: PersonEvent = { ...source, uin: fields.uin };
  if (type === 'liveBirth') {
    const [uin1, uin2] = [optionalId(fields, 'uin1'), optionalId(fields, 'uin2')];
    return { ...event, ...(uin1 ? { uin1 } : {}), ...(uin2 ? { uin2 } : {}) } as ReactionEvents[E];
  }
  if (type === 'duplicatePerson') {
    const { duplicates } = fields;
    if (!Array.isArray(duplicates) || !duplicates.every(isId)) {
      throw new InvalidError('the duplicatePerson event needs duplicates (an array of uins)');
    }
    return { ...event, duplicates } as ReactionEvents[E];
  }
  return event as ReactionEvents[E];
}
