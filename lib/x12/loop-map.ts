import { XMLParser } from "fast-xml-parser";
import { AppError } from "@/lib/errors";

/**
 * A transaction's loop map — its loops, their segments, which are required and how often each may
 * repeat — read from the imsweb x12-parser mapping XML (BSD-3-Clause; see
 * lib/x12/__fixtures__/imsweb/LICENSE). check-structure.ts walks a file against it.
 */

export type MapUsage = "R" | "S" | "N";

export type MapElement = {
  /** e.g. NM103 or SV101-01. */
  xid: string;
  name: string;
  /** seq: 1-based position within the segment, or within the composite for a component. */
  position: number;
  usage: MapUsage;
  /** The allowed codes; null when the map lists none (free text, dates, amounts). */
  codes: string[] | null;
};

export type MapComposite = MapElement & { components: MapElement[] };

export type MapSegment = {
  kind: "segment";
  id: string;
  name: string;
  usage: MapUsage;
  maxUse: number;
  /** Elements and composites, in position order. */
  elements: (MapElement | MapComposite)[];
  /** The highest position the map defines: more elements than this are an error. */
  maxElements: number;
  /**
   * The first required element (or component) with a code list: what tells this segment apart
   * from others with the same id (NM1*85 from NM1*87, HL*…*20 from HL*…*22).
   */
  qualifier: { position: number; component: number | null; codes: string[] } | null;
};

export type MapLoop = {
  kind: "loop";
  id: string;
  name: string;
  usage: MapUsage;
  /** Infinity for ">1". */
  repeat: number;
  /** A wrapper (HEADER, DETAIL) groups loops without a segment of its own to start it. */
  wrapper: boolean;
  children: (MapSegment | MapLoop)[];
};

type XmlNode = Record<string, unknown>;

function childrenOf(node: XmlNode): XmlNode[] {
  for (const [key, value] of Object.entries(node)) if (key !== ":@" && Array.isArray(value)) return value as XmlNode[];
  return [];
}

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((key) => key !== ":@") ?? "";
}

function attributeOf(node: XmlNode, name: string): string | undefined {
  const attributes = node[":@"] as Record<string, string> | undefined;
  return attributes?.[name];
}

function textOf(node: XmlNode, tag: string): string | undefined {
  const child = childrenOf(node).find((candidate) => tagOf(candidate) === tag);
  if (!child) return undefined;
  const text = childrenOf(child).find((candidate) => "#text" in candidate);
  return text ? String(text["#text"]).trim() : "";
}

function usageOf(node: XmlNode): MapUsage {
  const usage = textOf(node, "usage");
  return usage === "R" || usage === "N" ? usage : "S";
}

function readElement(node: XmlNode): MapElement {
  const list = childrenOf(node).find((candidate) => tagOf(candidate) === "valid_codes");
  const codes = list
    ? childrenOf(list)
        .filter((candidate) => tagOf(candidate) === "code")
        .map((code) => String(childrenOf(code)[0]?.["#text"] ?? "").trim())
    : [];
  return {
    xid: attributeOf(node, "xid") ?? "",
    name: textOf(node, "name") ?? "",
    position: Number(textOf(node, "seq")),
    usage: usageOf(node),
    codes: codes.length > 0 ? codes : null,
  };
}

function readSegment(node: XmlNode): MapSegment {
  const elements: (MapElement | MapComposite)[] = [];
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === "element") elements.push(readElement(child));
    if (tag === "composite") {
      const components = childrenOf(child)
        .filter((candidate) => tagOf(candidate) === "element")
        .map(readElement);
      elements.push({ ...readElement(child), codes: null, components });
    }
  }
  elements.sort((a, b) => a.position - b.position);
  // Qualifiers lead a segment: a coded element among the first three (NM101, HL03), or the first
  // component of a leading composite (HI01-01 ABK, SV101-01 HC). A coded element further on
  // (CLM05-01) describes the data instead, and an empty one must not hide the segment's identity.
  let qualifier: MapSegment["qualifier"] = null;
  for (const element of elements) {
    if (element.usage !== "R" || element.position > 3) continue;
    if ("components" in element) {
      const component = element.position === 1 ? element.components.find((candidate) => candidate.position === 1 && candidate.codes) : undefined;
      if (component?.codes) qualifier = { position: element.position, component: component.position, codes: component.codes };
    } else if (element.codes) {
      qualifier = { position: element.position, component: null, codes: element.codes };
    }
    if (qualifier) break;
  }
  const maxUse = textOf(node, "max_use");
  return {
    kind: "segment",
    id: attributeOf(node, "xid") ?? "",
    name: textOf(node, "name") ?? "",
    usage: usageOf(node),
    maxUse: maxUse === ">1" ? Infinity : Number(maxUse ?? 1),
    elements,
    maxElements: elements.reduce((max, element) => Math.max(max, element.position), 0),
    qualifier,
  };
}

function readLoop(node: XmlNode): MapLoop {
  const children: (MapSegment | MapLoop)[] = [];
  for (const child of childrenOf(node)) {
    const tag = tagOf(child);
    if (tag === "segment") children.push(readSegment(child));
    if (tag === "loop") children.push(readLoop(child));
  }
  const repeat = textOf(node, "repeat");
  return {
    kind: "loop",
    id: attributeOf(node, "xid") ?? "",
    name: textOf(node, "name") ?? "",
    usage: usageOf(node),
    repeat: repeat === ">1" ? Infinity : Number(repeat ?? 1),
    wrapper: attributeOf(node, "type") === "wrapper",
    children,
  };
}

/** Reads an imsweb mapping XML (…/mapping/837.5010.X222.A1.xml) into its outermost loop (ISA_LOOP). */
export function parseLoopMap(xml: string): MapLoop {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", parseTagValue: false, trimValues: true });
  const document = parser.parse(xml) as XmlNode[];
  const transaction = document.find((node) => tagOf(node) === "transaction");
  const root = transaction ? childrenOf(transaction).find((node) => tagOf(node) === "loop") : undefined;
  if (!root) throw new AppError("VALIDATION_FAILED", "This is not a loop map: it has no <transaction> with a <loop>.");
  return readLoop(root);
}
