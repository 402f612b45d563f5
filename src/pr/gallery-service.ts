/**
 * Galleries exist implicitly through `Identity.galleries`. `ALL` stands for every gallery. Content rows come in
 * creation order of the identities, paged with offset/limit (default 1000), as JSON or as CSV.
 */
import { NotFoundError } from '../errors/http-errors.js';
import type { PopulationRegistry } from '../registry/population-registry.js';

export interface GalleryRow {
  personId: string;
  identityId: string;
}

export const ALL_GALLERIES = 'ALL';

export class GalleryService {
  constructor(private readonly registry: PopulationRegistry) {}

  /** Galleries that hold at least one identity, in the order they were first used. */
  async list(): Promise<string[]> {
    const known = await this.registry.galleries.find({});
    const used = await Promise.all(
      known.map(async ({ _id }) => ((await this.registry.identities.count({ 'identity.galleries': _id })) > 0 ? _id : undefined)),
    );
    return used.filter((gallery): gallery is string => gallery !== undefined);
  }

  async content(galleryId: string, offset: number, limit: number): Promise<GalleryRow[]> {
    const all = galleryId === ALL_GALLERIES;
    const filter = { 'identity.galleries': all ? { $exists: true } : galleryId };
    if (!all && (await this.registry.identities.count(filter)) === 0) throw new NotFoundError(`No gallery ${galleryId}`);
    const records = await this.registry.identities.find(filter, { skip: offset, limit });
    return records.map((record) => ({ personId: String(record.personId), identityId: String(record.identityId) }));
  }
}
