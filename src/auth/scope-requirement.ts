/**
 * The scopes an operation needs, read from the security requirements of our OpenAPI documents (never from a table
 * written here). The result lists alternatives: a token must carry every scope of at least one alternative.
 *
 * Two OSIA conventions the documents cannot express in OpenAPI terms:
 * - Data Access operations list the `pr.*` and the `cr.*` scope in one requirement, but OSIA means either of them
 *   (the registry and the civil register are both servers of that interface);
 * - a scope may hold a path parameter's name in capitals as a placeholder: readAttributeSet's
 *   `id.ATTRIBUTESETNAME.read` means `id.<attributeSetName>.read`.
 */
import type { OperationEntry } from '../openapi/documents.js';
import type { DocumentName } from '../openapi/interfaces.js';

export type ScopeRequirement = (pathParams: Record<string, string>) => string[][];

const ANY_OF_INTERFACES: ReadonlySet<DocumentName> = new Set(['dataaccess']);

export function scopeRequirement(interfaceName: DocumentName, entry: OperationEntry): ScopeRequirement {
  const requirements = (entry.operation.security ?? []).map((requirement) => Object.values(requirement).flat());
  const alternatives = ANY_OF_INTERFACES.has(interfaceName)
    ? requirements.flatMap((scopes) => scopes.map((scope) => [scope]))
    : requirements;
  const placeholders = (entry.operation.parameters ?? [])
    .filter((parameter) => parameter.in === 'path')
    .map((parameter) => parameter.name);
  return (pathParams) =>
    alternatives.map((scopes) =>
      scopes.map((scope) =>
        placeholders.reduce((resolved, name) => resolved.replace(name.toUpperCase(), pathParams[name] ?? name), scope),
      ),
    );
}
