/** `/v1/persons/{personId}` → a RegExp matching `/v1/persons/<one segment>` (optionally with a trailing slash). */
export function templateToRegExp(apiPath: string): RegExp {
  const pattern = apiPath
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${pattern}/?$`);
}
