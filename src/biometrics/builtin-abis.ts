/**
 * The built-in ABIS engine (OSIA_ABIS_ENGINE=builtin): encounters in our store, faces matched by the shipped face
 * model through the 1:N index every process keeps in step. Each operation of abis.yaml maps to one call of its
 * services; see docs/behaviour/abis.md for the semantics.
 */
import type { Clock } from '../shared/clock.js';
import { paging } from '../shared/paging.js';
import type { Store } from '../storage/store.js';
import type { AbisAnswer, AbisCall, AbisEngine, AbisOperationId } from './abis-engine.port.js';
import { AbisEncounters } from './abis-encounters.js';
import { AbisGalleries } from './abis-galleries.js';
import { openAbisRecords } from './abis-records.js';
import { AbisSearches, type SearchQuery } from './abis-searches.js';
import { computedTemplates, type TemplateQuery } from './computed-templates.js';
import type { FaceModel } from './face-model.js';
import { SyncedFaceIndex } from './synced-face-index.js';

/** readGalleryContent's page when the call names no `limit` (OSIA's default). */
const GALLERY_PAGE = 1000;

type Run = (call: AbisCall) => Promise<unknown>;

export interface BuiltinAbisOptions {
  store: Store;
  model: FaceModel;
  clock: Clock;
  /** OSIA_ABIS_THRESHOLD: the score from which two faces match when a search gives no `threshold`. */
  threshold: number;
}

export class BuiltinAbis implements AbisEngine {
  readonly name = 'builtin';

  private constructor(private readonly operations: Record<AbisOperationId, Run>) {}

  /** Opens the collections and loads the index from the store. */
  static async open({ store, model, clock, threshold }: BuiltinAbisOptions): Promise<BuiltinAbis> {
    const records = await openAbisRecords(store);
    const synced = await SyncedFaceIndex.open(store, records);
    const encounters = new AbisEncounters(store, records, synced, model, clock);
    const searches = new AbisSearches(records, synced, model, threshold);
    const galleries = new AbisGalleries(records);
    const body = <T>(call: AbisCall) => call.body as T;
    const search = (call: AbisCall) => call.query as SearchQuery;
    return new BuiltinAbis({
      createEncounterNoIds: (call) => encounters.create(body(call)),
      createEncounterNoId: (call) => encounters.create(body(call), at(call.path, 'personId')),
      createEncounter: (call) => encounters.create(body(call), at(call.path, 'personId'), at(call.path, 'encounterId')),
      readAllEncounters: ({ path }) => encounters.readAll(at(path, 'personId')),
      readEncounter: ({ path }) => encounters.read(at(path, 'personId'), at(path, 'encounterId')),
      updateEncounter: (call) => encounters.update(at(call.path, 'personId'), at(call.path, 'encounterId'), body(call)),
      deleteEncounter: ({ path }) => encounters.delete(at(path, 'personId'), at(path, 'encounterId')),
      deleteAll: ({ path }) => encounters.deleteAll(at(path, 'personId')),
      mergeEncounter: ({ path }) => encounters.merge(at(path, 'personIdTarget'), at(path, 'personIdSource')),
      moveEncounter: ({ path }) => encounters.move(at(path, 'personIdTarget'), at(path, 'personIdSource'), at(path, 'encounterId')),
      updateEncounterStatus: ({ path, query }) => encounters.setStatus(at(path, 'personId'), at(path, 'encounterId'), String(query.status)),
      updateEncounterGalleries: (call) => encounters.setGalleries(at(call.path, 'personId'), at(call.path, 'encounterId'), body(call)),
      readTemplate: ({ path, query }) => computedTemplates(records, model, at(path, 'personId'), at(path, 'encounterId'), query as TemplateQuery),
      identify: (call) => searches.identify(at(call.path, 'galleryId'), body(call), search(call)),
      identifyFromId: (call) => searches.identifyFromStored(at(call.path, 'galleryId'), at(call.path, 'personId'), undefined, call.body, search(call)),
      identifyFromEncounterId: (call) =>
        searches.identifyFromStored(at(call.path, 'galleryId'), at(call.path, 'personId'), at(call.path, 'encounterId'), call.body, search(call)),
      verifyFromId: (call) => searches.verifyFromId(at(call.path, 'galleryId'), at(call.path, 'personId'), body(call), search(call)),
      verifyFromBio: (call) => searches.verifyFromBio(body(call), search(call)),
      readGalleries: () => galleries.list(),
      readGalleryContent: ({ path, query }) => {
        const { offset, limit } = paging(query.offset as number | undefined, query.limit as number | undefined, GALLERY_PAGE);
        return galleries.content(at(path, 'galleryId'), offset, limit);
      },
    });
  }

  async run(call: AbisCall): Promise<AbisAnswer> {
    const body = await this.operations[call.operationId](call);
    // The six operations answering 204 resolve nothing.
    return body === undefined ? {} : { body };
  }
}

/** A path parameter the operation's route declares (the validator has checked it is there). */
function at(path: Record<string, string>, name: string): string {
  const value = path[name];
  if (value === undefined) throw new Error(`path parameter ${name} missing`);
  return value;
}
