/**
 * Identification (1:N) and verification (1:1) of the built-in ABIS. The score of two faces is `faceScore`
 * (1 − Euclidean distance); a person's score is the best of its templates against any face of the probe, and two
 * faces match from the threshold (the query's `threshold`, else OSIA_ABIS_THRESHOLD). Only ACTIVE encounters are
 * searched; a search started from a stored person leaves that person out of its candidates.
 */
import { InvalidError, NotFoundError } from '../shared/domain-errors.js';
import { type AbisRecords, ALL_GALLERIES, type BiometricItem, encounterExists, encounterKey, faceVector, type TemplateRecord } from './abis-records.js';
import { probeFaces } from './face-encoding.js';
import type { FaceModel } from './face-model.js';
import { attributeTest } from './search-filter.js';
import type { SyncedFaceIndex } from './synced-face-index.js';
import { faceScore, type TemplateEntry, type TemplateHit } from './template-index.js';

/** Candidates answered when the search names no `maxNbCand`. */
export const DEFAULT_MAX_CANDIDATES = 10;

export interface SearchQuery {
  threshold?: number;
  maxNbCand?: number;
}

interface ScoreDetail {
  score: number;
  encounterId?: string;
  galleries?: readonly string[];
  biometricType: 'FACE';
  biometricSubType?: string;
  instance?: string;
  others?: Record<string, unknown>;
}

export interface Candidate {
  personId: string;
  rank: number;
  score: number;
  scores: ScoreDetail[];
}

export interface Verdict {
  decision: boolean;
  scores: ScoreDetail[];
}

export class AbisSearches {
  constructor(
    private readonly records: AbisRecords,
    private readonly synced: SyncedFaceIndex,
    private readonly model: FaceModel,
    private readonly defaultThreshold: number,
  ) {}

  async identify(galleryId: string, body: { filter?: unknown; biometricData: BiometricItem[] }, query: SearchQuery): Promise<Candidate[]> {
    const accepts = attributeTest(body.filter);
    const limits = this.#limits(query);
    await this.#galleryMustExist(galleryId);
    const { vectors } = await probeFaces(this.model, body.biometricData);
    return this.#candidates(vectors, galleryId, (entry) => accepts(entry.biographicData), limits);
  }

  /** Searches with the faces of the person's ACTIVE encounters (of one encounter, whatever its status, with `encounterId`). */
  async identifyFromStored(galleryId: string, personId: string, encounterId: string | undefined, filter: unknown, query: SearchQuery): Promise<Candidate[]> {
    const accepts = attributeTest(filter);
    const limits = this.#limits(query);
    await this.#galleryMustExist(galleryId);
    const probe = encounterId === undefined ? await this.#personFaces(personId) : await this.#encounterFaces(personId, encounterId);
    return this.#candidates(probe, galleryId, (entry) => entry.personId !== personId && accepts(entry.biographicData), limits);
  }

  /** Whether the probe is the person, compared with the faces of its ACTIVE encounters in the gallery. */
  async verifyFromId(galleryId: string, personId: string, body: { biometricData: BiometricItem[] }, query: SearchQuery): Promise<Verdict> {
    const threshold = thresholdOf(query, this.defaultThreshold);
    const inGallery = galleryId === ALL_GALLERIES ? { personId } : { personId, galleries: galleryId };
    if ((await this.records.encounters.select(inGallery, ['_id'], { limit: 1 })).length === 0) {
      throw new NotFoundError(`Person ${personId} has no encounter in gallery ${galleryId}`);
    }
    const { vectors } = await probeFaces(this.model, body.biometricData);
    await this.synced.catchUp();
    const accept = (entry: TemplateEntry) => entry.personId === personId && entry.active && inGalleryOf(entry, galleryId);
    const hits = vectors.flatMap((vector) => this.synced.index.search(vector, accept, 0, Number.MAX_SAFE_INTEGER));
    if (hits.length === 0) throw new InvalidError(`Person ${personId} has no ACTIVE encounter with an encoded FACE in gallery ${galleryId}`);
    const scores = perEncounter(hits);
    return { decision: (scores[0]?.score ?? 0) >= threshold, scores };
  }

  /** Whether two biometric sets are the same person: the best score of any face of one against any of the other. */
  async verifyFromBio(body: { biometricData1: BiometricItem[]; biometricData2: BiometricItem[] }, query: SearchQuery): Promise<Verdict> {
    const threshold = thresholdOf(query, this.defaultThreshold);
    const first = await probeFaces(this.model, body.biometricData1, 'biometricData1');
    const second = await probeFaces(this.model, body.biometricData2, 'biometricData2');
    const scores = first.slots.flatMap((one, i) =>
      second.slots.map((two, j) => ({
        score: faceScore(first.vectors[i] as Float32Array, second.vectors[j] as Float32Array),
        biometricType: 'FACE' as const,
        ...optional(two),
        others: { item1: one.item, item2: two.item },
      })),
    );
    scores.sort((a, b) => b.score - a.score);
    return { decision: (scores[0]?.score ?? 0) >= threshold, scores };
  }

  /** The threshold and the number of candidates a search asks for, checked before any work. */
  #limits(query: SearchQuery): { threshold: number; max: number } {
    return { threshold: thresholdOf(query, this.defaultThreshold), max: maxCandidates(query) };
  }

  async #candidates(
    probe: Float32Array[],
    galleryId: string,
    accepts: (entry: TemplateEntry) => boolean,
    { threshold, max }: { threshold: number; max: number },
  ): Promise<Candidate[]> {
    await this.synced.catchUp();
    const accept = (entry: TemplateEntry) => entry.active && inGalleryOf(entry, galleryId) && accepts(entry);
    const hits = probe.flatMap((vector) => this.synced.index.search(vector, accept, threshold, Number.MAX_SAFE_INTEGER));
    const byPerson = new Map<string, TemplateHit[]>();
    for (const hit of hits) {
      const personHits = byPerson.get(hit.entry.personId);
      if (personHits) personHits.push(hit);
      else byPerson.set(hit.entry.personId, [hit]);
    }
    const ranked = [...byPerson].map(([personId, personHits]) => {
      const scores = perEncounter(personHits);
      return { personId, score: scores[0]?.score ?? 0, scores };
    });
    ranked.sort((a, b) => b.score - a.score || a.personId.localeCompare(b.personId));
    return ranked.slice(0, max).map((candidate, i) => ({ personId: candidate.personId, rank: i + 1, score: candidate.score, scores: candidate.scores }));
  }

  async #personFaces(personId: string): Promise<Float32Array[]> {
    const templates = await this.records.templates.find({ personId });
    if (templates.length === 0 && (await this.records.encounters.select({ personId }, ['_id'], { limit: 1 })).length === 0) {
      throw new NotFoundError(`No person ${personId}`);
    }
    const faces = templates.filter((template) => template.active).flatMap(vectorsOf);
    if (faces.length === 0) throw new InvalidError(`Person ${personId} has no ACTIVE encounter with an encoded FACE to search with`);
    return faces;
  }

  async #encounterFaces(personId: string, encounterId: string): Promise<Float32Array[]> {
    const key = encounterKey(personId, encounterId);
    const template = await this.records.templates.get(key);
    if (template) return vectorsOf(template);
    if (!(await encounterExists(this.records, key))) throw new NotFoundError(`No encounter ${encounterId} of person ${personId}`);
    throw new InvalidError(`Encounter ${encounterId} of person ${personId} has no encoded FACE to search with`);
  }

  async #galleryMustExist(galleryId: string): Promise<void> {
    if (galleryId === ALL_GALLERIES) return;
    if ((await this.records.encounters.select({ galleries: galleryId }, ['_id'], { limit: 1 })).length === 0) {
      throw new NotFoundError(`No gallery ${galleryId}: no encounter is filed in it`);
    }
  }
}

function inGalleryOf(entry: TemplateEntry, galleryId: string): boolean {
  return galleryId === ALL_GALLERIES || entry.galleries.includes(galleryId);
}

/** The best hit of each encounter, best first. */
function perEncounter(hits: readonly TemplateHit[]): ScoreDetail[] {
  const best = new Map<string, TemplateHit>();
  for (const hit of hits) {
    const encounter = `${hit.entry.personId}/${hit.entry.encounterId}`;
    if ((best.get(encounter)?.score ?? -1) < hit.score) best.set(encounter, hit);
  }
  return [...best.values()]
    .sort((a, b) => b.score - a.score)
    .map(({ entry, score }) => ({ score, encounterId: entry.encounterId, galleries: entry.galleries, biometricType: 'FACE', ...optional(entry) }));
}

function optional({ biometricSubType, instance }: { biometricSubType?: string; instance?: string }) {
  return { ...(biometricSubType ? { biometricSubType } : {}), ...(instance ? { instance } : {}) };
}

function vectorsOf(template: TemplateRecord): Float32Array[] {
  return template.slots.map((_, face) => faceVector(template.faces, face));
}

function thresholdOf(query: SearchQuery, fallback: number): number {
  const { threshold = fallback } = query;
  if (!(threshold >= 0 && threshold <= 1)) throw new InvalidError(`The threshold must be between 0 and 1 (got ${threshold})`);
  return threshold;
}

function maxCandidates(query: SearchQuery): number {
  const { maxNbCand = DEFAULT_MAX_CANDIDATES } = query;
  if (!Number.isInteger(maxNbCand) || maxNbCand < 1) throw new InvalidError(`maxNbCand must be 1 or more (got ${maxNbCand})`);
  return maxNbCand;
}
