export type PageSearchParams = Record<string, string | string[] | undefined>;

/** The first non-empty value of a page's search parameter, or undefined. */
export function firstParam(params: PageSearchParams, name: string): string | undefined {
  const value = params[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

/** A list page's URL for the next page: the current filters plus `cursor`, empty ones left out. */
export function nextPageHref(path: string, params: PageSearchParams, filters: readonly string[], cursor: string): string {
  const search = new URLSearchParams();
  for (const name of filters) {
    const value = firstParam(params, name);
    if (value) search.set(name, value);
  }
  search.set("cursor", cursor);
  return `${path}?${search.toString()}`;
}
