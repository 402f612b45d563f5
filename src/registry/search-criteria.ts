/**
 * Turns findPersons Expressions into registry criteria. An attributeName is a dotted path within the identity
 * (`biographicData.firstName`, `contextualData.enrollmentDate`), or a plain name: a top-level Identity property
 * when there is one (`identityType`, `status`, `galleries` …), `biographicData.<name>` otherwise.
 */
import type { Criterion } from './search-filter.js';

export interface Expression {
  attributeName: string;
  operator: Criterion['operator'];
  value: Criterion['value'];
}

export function toCriteria(expressions: readonly Expression[], identityFields: ReadonlySet<string>): Criterion[] {
  return expressions.map(({ attributeName, operator, value }) => ({
    path:
      attributeName.includes('.') || identityFields.has(attributeName) ? attributeName : `biographicData.${attributeName}`,
    operator,
    value,
  }));
}
