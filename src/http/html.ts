/**
 * Server-rendered HTML without a template engine: `html` escapes every interpolated value unless it is itself a
 * fragment made by `html`, so a page cannot carry a person's data as markup by mistake.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export class HtmlFragment {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = HtmlFragment | string | number | boolean | null | undefined | readonly HtmlValue[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof HtmlFragment) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): HtmlFragment {
  return new HtmlFragment(strings.reduce((out, part, i) => out + part + (i < values.length ? render(values[i]) : ''), ''));
}
