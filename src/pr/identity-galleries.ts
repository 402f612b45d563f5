import { ALL_GALLERIES } from '../registry/search-filter.js';

type Identity = Record<string, unknown>;

/**
 * `ALL` names every gallery in reads and searches, and every identity filed in a gallery is in it already: clients
 * that write it mean "no named gallery", so it is dropped (with the list, when nothing else is left).
 */
export function withoutAllGallery(identity: Identity): Identity {
  const galleries = identity.galleries;
  if (!Array.isArray(galleries) || !galleries.includes(ALL_GALLERIES)) return identity;
  const named = galleries.filter((gallery) => gallery !== ALL_GALLERIES);
  const { galleries: _dropped, ...rest } = identity;
  return named.length > 0 ? { ...rest, galleries: named } : rest;
}
