/**
 * Shape limits on JSON bodies, checked on the raw bytes before `JSON.parse`: nesting depth, members of one object
 * or array, and values in the whole body. A body past them never reaches a parser, validator, handler or store,
 * where deep recursion overflows the stack and a stored record may become unreadable.
 */
import { InvalidError } from '../shared/domain-errors.js';

export interface JsonLimits {
  maxDepth: number;
  maxMembers: number;
  maxValues: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;

/** Throws InvalidError naming the limit a body exceeds; malformed JSON is left to the parser. */
export function checkJsonLimits(body: Buffer, limits: JsonLimits): void {
  // Commas seen in each open container: its members are one more than that.
  const commas: number[] = [];
  let values = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (commas.length === limits.maxDepth) {
        throw new InvalidError(`The request body nests objects and arrays deeper than ${limits.maxDepth} levels`);
      }
      commas.push(0);
      values++;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      commas.pop();
    } else if (byte === COMMA && commas.length > 0) {
      const top = commas.length - 1;
      commas[top] = (commas[top] ?? 0) + 1;
      if ((commas[top] ?? 0) >= limits.maxMembers) {
        throw new InvalidError(`An object or array of the request body has more than ${limits.maxMembers} members`);
      }
      values++;
    }
    if (values > limits.maxValues) {
      throw new InvalidError(`The request body holds more than ${limits.maxValues} values`);
    }
  }
}
