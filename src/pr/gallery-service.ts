/**
 * Galleries exist implicitly through `Identity.galleries`. `ALL` stands for every gallery. Content rows come in
 * creation order of the identities, paged with offset/limit (default 1000), as JSON or as CSV.
 */
import { NotFoundError } from '../shared/domain-errors.js';
import type { PopulationRegistry } from '../registry/population-registry.js';
import { ALL_GALLERIES, galleryFilter } from '../registry/search-filter.js';

export interface GalleryRow {
  personId: string;
  identityId: string;
}

export class GalleryService {
  constructor(private readonly registry: PopulationRegistry) {}

  /** Galleries that hold at least one identity, in the order they were first used. */
  async list(): Promise<string[]> {
    const known = await this.registry.galleries.find({});
    const used = await Promise.all(
      known.map(async ({ _id }) => ((await this.registry.identities.count(galleryFilter(_id))) > 0 ? _id : undefined)),
    );
    return used.filter((gallery): gallery is string => gallery !== undefined);
  }

  async content(galleryId: string, offset: number, limit: number): Promise<GalleryRow[]> {
    const filter = galleryFilter(galleryId);
    // One member is enough to know the gallery exists: counting a national gallery would read every member.
    if (galleryId !== ALL_GALLERIES && (await this.registry.identities.select(filter, ['personId'], { limit: 1 })).length === 0) {
      throw new NotFoundError(`No gallery ${galleryId}: no identity is filed in it`);
    }
    // Stores read a limit of 0 as "no limit".
    if (limit === 0) return [];
    return this.registry.identities.select(filter, ['personId', 'identityId'], { skip: offset, limit });
  }
}
