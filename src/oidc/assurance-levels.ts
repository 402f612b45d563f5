/**
 * Levels of assurance: our names (low < substantial < high) and the `acr` values published for them, in the style
 * `OSIA_OIDC_ACR_STYLE` picks: eIDAS URIs or FranceConnect's `eidas1-3`.
 */
export const LEVELS = ['low', 'substantial', 'high'] as const;
export type Level = (typeof LEVELS)[number];

export const ACR_STYLES = ['eidas', 'franceconnect'] as const;
export type AcrStyle = (typeof ACR_STYLES)[number];

const PUBLISHED: Record<AcrStyle, Record<Level, string>> = {
  eidas: {
    low: 'http://eidas.europa.eu/LoA/low',
    substantial: 'http://eidas.europa.eu/LoA/substantial',
    high: 'http://eidas.europa.eu/LoA/high',
  },
  franceconnect: { low: 'eidas1', substantial: 'eidas2', high: 'eidas3' },
};

export const rank = (level: Level) => LEVELS.indexOf(level);

export const atLeast = (level: Level, minimum: Level) => rank(level) >= rank(minimum);

export class AcrValues {
  constructor(readonly style: AcrStyle) {}

  /** Every published value, lowest first (the discovery document's `acr_values_supported`). */
  get all(): string[] {
    return LEVELS.map((level) => this.of(level));
  }

  of(level: Level): string {
    return PUBLISHED[this.style][level];
  }

  /** The level a published value names, or undefined for a value of another style. */
  levelOf(acr: string | undefined): Level | undefined {
    return LEVELS.find((level) => this.of(level) === acr);
  }

  /**
   * The lowest level that satisfies an authorization request's parameters: `acr_values` (any one of them; the lowest
   * known) or an essential `claims.id_token.acr`, and never below the client's minimum.
   */
  requiredBy(params: Record<string, unknown>, minimum: Level): Level {
    const essential = essentialAcr(params.claims);
    const acrValues = typeof params.acr_values === 'string' ? params.acr_values.split(' ') : [];
    const named = [...acrValues, ...(essential?.values ?? []), essential?.value]
      .map((value) => this.levelOf(value))
      .filter((level): level is Level => level !== undefined);
    const lowestAsked = named.sort((a, b) => rank(a) - rank(b))[0];
    return lowestAsked && rank(lowestAsked) > rank(minimum) ? lowestAsked : minimum;
  }
}

interface AcrClaimRequest {
  essential?: boolean;
  value?: string;
  values?: string[];
}

/** `claims.id_token.acr` of a `claims` parameter (JSON text), when essential. */
function essentialAcr(claims: unknown): AcrClaimRequest | undefined {
  if (typeof claims !== 'string') return undefined;
  try {
    const acr = (JSON.parse(claims) as { id_token?: { acr?: AcrClaimRequest } } | null)?.id_token?.acr;
    return acr?.essential ? acr : undefined;
  } catch {
    return undefined;
  }
}
