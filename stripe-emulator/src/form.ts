/**
 * Parser for Stripe's form encoding (`application/x-www-form-urlencoded` with bracket
 * nesting): `metadata[a]=b`, `expand[]=x`, `items[0][price]=p`. Unlike `qs`, arrays have
 * no length limit, so `items[25][price]` stays inside an array.
 */
export type FormValue = string | FormValue[] | FormObject;
export type FormObject = { [key: string]: FormValue };

const APPEND = Symbol("append");
type Segment = string | typeof APPEND;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}

function splitKey(key: string): Segment[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const segments: Segment[] = [key.slice(0, open)];
  const pattern = /\[([^\]]*)\]/g;
  pattern.lastIndex = open;
  let match: RegExpExecArray | null;
  let end = open;
  while ((match = pattern.exec(key)) !== null && match.index === end) {
    const inner = match[1] ?? "";
    segments.push(inner === "" ? APPEND : inner);
    end = pattern.lastIndex;
  }
  // Trailing garbage such as `a[b]c` keeps Stripe's behaviour of treating it literally.
  if (end !== key.length) return [key];
  return segments;
}

/** Intermediate tree: arrays are built as objects keyed by index, converted at the end. */
type Node = { [key: string]: Node | string };

function insert(root: Node, segments: Segment[], value: string): void {
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const last = i === segments.length - 1;
    const key = segment === APPEND ? String(Object.keys(node).length) : (segment as string);
    if (last) {
      node[key] = value;
      return;
    }
    const existing = node[key];
    if (existing === undefined || typeof existing === "string") {
      const child: Node = {};
      node[key] = child;
      node = child;
    } else {
      node = existing;
    }
  }
}

function isIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key);
}

function finish(node: Node | string): FormValue {
  if (typeof node === "string") return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every(isIndex)) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((index) => finish(node[String(index)] as Node | string));
  }
  const out: FormObject = {};
  for (const key of keys) out[key] = finish(node[key] as Node | string);
  return out;
}

/** Parses a form-encoded string (a request body or a query string without `?`). */
export function parseForm(text: string): FormObject {
  const root: Node = {};
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
    const key = decode(rawKey);
    if (key === "") continue;
    insert(root, splitKey(key), decode(rawValue));
  }
  const out: FormObject = {};
  for (const key of Object.keys(root)) out[key] = finish(root[key] as Node | string);
  return out;
}
