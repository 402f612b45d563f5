/**
 * The galleries of the built-in ABIS exist through the encounters filed in them. `ALL` stands for every gallery.
 * Content rows come in the order the encounters were stored, paged with offset/limit.
 */
import { NotFoundError } from '../shared/domain-errors.js';
import type { Filter } from '../storage/document-store.port.js';
import { type AbisRecords, ALL_GALLERIES } from './abis-records.js';

export interface GalleryRow {
  personId: string;
  encounterId: string;
}

export class AbisGalleries {
  constructor(private readonly records: AbisRecords) {}

  /** Galleries holding at least one encounter, in the order they were first used. */
  async list(): Promise<string[]> {
    const known = await this.records.galleries.find({});
    const used = await Promise.all(known.map(async ({ _id }) => ((await this.#holdsAny({ galleries: _id })) ? _id : undefined)));
    return used.filter((gallery): gallery is string => gallery !== undefined);
  }

  async content(galleryId: string, offset: number, limit: number): Promise<GalleryRow[]> {
    // Every encounter is filed in one gallery at least.
    const filter: Filter = galleryId === ALL_GALLERIES ? {} : { galleries: galleryId };
    if (galleryId !== ALL_GALLERIES && !(await this.#holdsAny(filter))) throw new NotFoundError(`No gallery ${galleryId}: no encounter is filed in it`);
    // Stores read a limit of 0 as "no limit".
    if (limit === 0) return [];
    return this.records.encounters.select(filter, ['personId', 'encounterId'], { skip: offset, limit });
  }

  /** One member is enough: counting a national gallery would read every member. */
  async #holdsAny(filter: Filter): Promise<boolean> {
    return (await this.records.encounters.select(filter, ['_id'], { limit: 1 })).length > 0;
  }
}
