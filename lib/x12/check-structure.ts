import { isAppError } from "@/lib/errors";
import type { MapComposite, MapElement, MapLoop, MapSegment } from "./loop-map";
import { elementOf, readX12, type X12Interchange, type X12ReadSegment } from "./read-x12";
import { describeComponentSeparatorSlip } from "./separators";

/**
 * What is wrong with a file, in words. kind says which check found it:
 * - "file": the ISA header could not be read (nothing else is checked then);
 * - "envelope": counts and control numbers in SE/GE/IEA, trailers missing;
 * - "hierarchy": HL numbering and parents;
 * - "loop" / "segment" / "element": the loop map (required, repeats, order, element counts, codes).
 */
export type X12Problem = {
  kind: "file" | "envelope" | "hierarchy" | "loop" | "segment" | "element";
  message: string;
  /** 1-based ordinal of the segment concerned, when there is one. */
  segment?: number;
};

type LoopInstance = {
  loop: MapLoop;
  /** Ordinal of the segment that started this iteration. */
  start: number;
  segmentCounts: Map<MapSegment, number>;
  loopCounts: Map<MapLoop, number>;
  /** Index in loop.children of the last child matched: children must come in map order. */
  lastChild: number;
};

type Match = { depth: number; childIndex: number; child: MapSegment | MapLoop; path: MapLoop[] };

function describe(segment: X12ReadSegment): string {
  return segment.id === "" ? `segment ${segment.ordinal} (no segment id)` : `${segment.id} (segment ${segment.ordinal})`;
}

function qualifierValue(segment: X12ReadSegment, definition: MapSegment, componentSeparator: string): string | null {
  const qualifier = definition.qualifier;
  if (!qualifier) return null;
  const element = elementOf(segment, qualifier.position);
  return qualifier.component === null ? element : (element.split(componentSeparator)[qualifier.component - 1] ?? "");
}

function segmentMatches(segment: X12ReadSegment, definition: MapSegment, componentSeparator: string): boolean {
  if (segment.id !== definition.id) return false;
  const value = qualifierValue(segment, definition, componentSeparator);
  return value === null || definition.qualifier?.codes.includes(value) === true;
}

/** The chain of loops (outermost first) that `segment` would open when it starts `loop`, or null. */
function startsLoop(loop: MapLoop, segment: X12ReadSegment, componentSeparator: string): MapLoop[] | null {
  const first = loop.children[0];
  if (!first) return null;
  if (first.kind === "segment") return segmentMatches(segment, first, componentSeparator) ? [loop] : null;
  const inner = startsLoop(first, segment, componentSeparator);
  return inner ? [loop, ...inner] : null;
}

/** The segment itself, or the segment that starts a loop (through wrappers). */
function firstSegmentOf(child: MapSegment | MapLoop): MapSegment | undefined {
  if (child.kind === "segment") return child;
  const first = child.children[0];
  return first ? firstSegmentOf(first) : undefined;
}

function newInstance(loop: MapLoop, start: number): LoopInstance {
  return { loop, start, segmentCounts: new Map(), loopCounts: new Map(), lastChild: -1 };
}

function pad(position: number): string {
  return String(position).padStart(2, "0");
}

/**
 * Checks an X12 file against a loop map: envelopes (SE01/GE01/IEA01 counts, matching control
 * numbers), HL numbering, and per loop the required segments and loops, how often each repeats,
 * their order, element counts, required elements and the map's codes. Returns the problems in
 * words, in file order; an empty list means the file fits the map. Never throws on bad input.
 */
export function checkStructure(text: string, map: MapLoop): X12Problem[] {
  let interchange: X12Interchange;
  try {
    interchange = readX12(text);
  } catch (error) {
    if (isAppError(error)) return [{ kind: "file", message: error.message }];
    throw error;
  }
  const problems = [...checkEnvelopes(interchange), ...checkHierarchy(interchange), ...checkAgainstMap(interchange, map)];
  return problems.sort((a, b) => (a.segment ?? Infinity) - (b.segment ?? Infinity));
}

function checkAgainstMap(interchange: X12Interchange, map: MapLoop): X12Problem[] {
  const problems: X12Problem[] = [];
  const component = interchange.separators.component;
  const stack: LoopInstance[] = [];
  let unmatched: { problem: X12Problem; message: string; first: number; last: number } | null = null;

  const close = (instance: LoopInstance, at: number) => {
    for (const child of instance.loop.children) {
      if (child.kind === "segment" && child.usage === "R" && !instance.segmentCounts.get(child)) {
        problems.push({ kind: "segment", message: `${child.id} (${child.name}) in loop ${instance.loop.id} is required but not found.`, segment: at });
      }
      if (child.kind === "loop" && child.usage === "R" && !instance.loopCounts.get(child)) {
        problems.push({
          kind: "loop",
          message: `Loop ${child.id} (${child.name}) is required but not found in loop ${instance.loop.id} that starts at segment ${instance.start}.`,
          segment: instance.start,
        });
      }
    }
  };

  const open = (parent: LoopInstance, childIndex: number, path: MapLoop[], segment: X12ReadSegment) => {
    let current = parent;
    let index = childIndex;
    for (const loop of path) {
      const count = (current.loopCounts.get(loop) ?? 0) + 1;
      current.loopCounts.set(loop, count);
      current.lastChild = Math.max(current.lastChild, index);
      if (count > loop.repeat) {
        problems.push({
          kind: "loop",
          message: `Loop ${loop.id} (${loop.name}) appears too many times in ${current.loop.id}: at most ${loop.repeat}, this is #${count}.`,
          segment: segment.ordinal,
        });
      }
      if (loop.usage === "N")
        problems.push({ kind: "loop", message: `Loop ${loop.id} (${loop.name}) is not used in this transaction.`, segment: segment.ordinal });
      const instance = newInstance(loop, segment.ordinal);
      stack.push(instance);
      current = instance;
      index = 0;
    }
    current.lastChild = 0;
    const trigger = current.loop.children[0];
    if (trigger?.kind === "segment") {
      current.segmentCounts.set(trigger, 1);
      checkElements(segment, trigger, current.loop, component, problems);
    }
  };

  for (const segment of interchange.segments) {
    if (stack.length === 0) {
      const path = startsLoop(map, segment, component);
      if (!path) {
        problems.push({
          kind: "segment",
          message: `${describe(segment)} is outside any interchange (expected ${map.children[0]?.kind === "segment" ? map.children[0].id : map.id}).`,
          segment: segment.ordinal,
        });
        continue;
      }
      const root = newInstance({ kind: "loop", id: "(file)", name: "file", usage: "R", repeat: 1, wrapper: true, children: [map] }, segment.ordinal);
      stack.push(root);
      open(root, 0, path, segment);
      continue;
    }

    let inOrder: Match | null = null;
    let outOfOrder: Match | null = null;
    for (let depth = stack.length - 1; depth >= 0 && !inOrder; depth--) {
      const instance = stack[depth] as LoopInstance;
      const children = instance.loop.children;
      for (let childIndex = 0; childIndex < children.length; childIndex++) {
        const child = children[childIndex] as MapSegment | MapLoop;
        let match: Match | null = null;
        if (child.kind === "segment") {
          // The first segment of a loop starts a new iteration of it; it is matched from the parent.
          if (childIndex === 0) continue;
          if (segmentMatches(segment, child, component)) match = { depth, childIndex, child, path: [] };
        } else {
          const path = startsLoop(child, segment, component);
          if (path) match = { depth, childIndex, child, path };
        }
        if (!match) continue;
        if (childIndex >= instance.lastChild) {
          inOrder = match;
          break;
        }
        outOfOrder ??= match;
      }
    }
    const match = inOrder ?? outOfOrder;
    if (!match) {
      // Segments after one that fits nowhere usually fit nowhere either (they belonged to the loop
      // it should have started): one problem for the run, not one per segment.
      if (unmatched && unmatched.last === segment.ordinal - 1) {
        unmatched.last = segment.ordinal;
        unmatched.problem.message = `${unmatched.message} The ${unmatched.last - unmatched.first} segment(s) after it, up to segment ${unmatched.last}, fit nowhere either.`;
        continue;
      }
      const here = stack.at(-1) as LoopInstance;
      const reason = /^[A-Z][A-Z0-9]{1,2}$/.test(segment.id) ? "does not fit loop" : "has no valid segment id, in loop";
      const hint = stack
        .flatMap((instance) => instance.loop.children.map(firstSegmentOf))
        .flatMap((child) => (child && child.id === segment.id && child.qualifier ? [child.qualifier] : []))
        .map((qualifier) => describeComponentSeparatorSlip(elementOf(segment, qualifier.position), qualifier.codes, component))
        .find((found) => found !== null);
      const message = hint
        ? `${describe(segment)} does not fit loop ${here.loop.id}: ${segment.id}${pad(1)} reads ${hint}`
        : `${describe(segment)} ${reason} ${here.loop.id} or the loops around it.`;
      const problem: X12Problem = { kind: "segment", message, segment: segment.ordinal };
      problems.push(problem);
      unmatched = { problem, message, first: segment.ordinal, last: segment.ordinal };
      continue;
    }
    unmatched = null;
    while (stack.length - 1 > match.depth) close(stack.pop() as LoopInstance, segment.ordinal);
    const instance = stack.at(-1) as LoopInstance;
    if (match.child.kind === "segment") {
      const definition = match.child;
      if (match.childIndex < instance.lastChild) {
        const after = instance.loop.children[instance.lastChild];
        problems.push({
          kind: "segment",
          message: `${definition.id} in loop ${instance.loop.id} is out of order: it must come before ${after?.kind === "loop" ? `loop ${after.id}` : after?.id}.`,
          segment: segment.ordinal,
        });
      } else {
        instance.lastChild = match.childIndex;
      }
      const count = (instance.segmentCounts.get(definition) ?? 0) + 1;
      instance.segmentCounts.set(definition, count);
      if (count > definition.maxUse) {
        problems.push({
          kind: "segment",
          message: `${definition.id} in loop ${instance.loop.id} appears too many times: at most ${definition.maxUse}.`,
          segment: segment.ordinal,
        });
      }
      if (definition.usage === "N")
        problems.push({ kind: "segment", message: `${definition.id} is not used in loop ${instance.loop.id}.`, segment: segment.ordinal });
      checkElements(segment, definition, instance.loop, component, problems);
    } else {
      open(instance, match.childIndex, match.path, segment);
    }
  }
  const last = interchange.segments.at(-1)?.ordinal;
  while (stack.length > 0) close(stack.pop() as LoopInstance, last ?? 0);
  return problems;
}

function checkElements(segment: X12ReadSegment, definition: MapSegment, loop: MapLoop, componentSeparator: string, problems: X12Problem[]): void {
  const where = `${definition.id} in loop ${loop.id}`;
  const add = (message: string) => problems.push({ kind: "element", message, segment: segment.ordinal });
  if (segment.elements.length > definition.maxElements) {
    add(`${where} has ${segment.elements.length} elements; the map defines ${definition.maxElements}.`);
  }
  for (const element of definition.elements) {
    const value = elementOf(segment, element.position);
    const name = `${definition.id}${pad(element.position)}`;
    if (value === "") {
      if (element.usage === "R") add(`${where} is missing required element ${name} (${element.name}).`);
      continue;
    }
    if (element.usage === "N") {
      add(`${where} has ${name} (${element.name}), which this transaction does not use.`);
      continue;
    }
    if ("components" in element) checkComposite(value, element as MapComposite, name, where, componentSeparator, add);
    else checkCode(value, element, name, where, componentSeparator, add);
  }
}

function checkComposite(value: string, composite: MapComposite, name: string, where: string, componentSeparator: string, add: (message: string) => void): void {
  const components = value.split(componentSeparator);
  const defined = composite.components.reduce((max, component) => Math.max(max, component.position), 0);
  if (components.length > defined) add(`${where}: ${name} has ${components.length} components; the map defines ${defined}.`);
  for (const component of composite.components) {
    const part = components[component.position - 1] ?? "";
    const partName = `${name}-${pad(component.position)}`;
    if (part === "") {
      if (component.usage === "R") add(`${where} is missing required component ${partName} (${component.name}).`);
      continue;
    }
    checkCode(part, component, partName, where, componentSeparator, add);
  }
}

function checkCode(value: string, element: MapElement, name: string, where: string, componentSeparator: string, add: (message: string) => void): void {
  if (!element.codes || element.codes.includes(value)) return;
  const hint = describeComponentSeparatorSlip(value, element.codes, componentSeparator);
  if (hint) {
    add(`${where}: ${name} reads ${hint}`);
    return;
  }
  const shown = element.codes.length > 8 ? `${element.codes.slice(0, 8).join(", ")}…` : element.codes.join(", ");
  add(`${where}: ${name} (${element.name}) is "${value}", not one of ${shown}.`);
}

/** Trailer counts and control numbers: SE01/SE02, GE01/GE02, IEA01/IEA02, and trailers present. */
export function checkEnvelopes(interchange: X12Interchange): X12Problem[] {
  const problems: X12Problem[] = [];
  const add = (message: string, segment?: number) => problems.push({ kind: "envelope", message, segment });
  let isa: X12ReadSegment | null = null;
  let gs: X12ReadSegment | null = null;
  let st: X12ReadSegment | null = null;
  let groups = 0;
  let sets = 0;
  let segmentsInSet = 0;
  for (const segment of interchange.segments) {
    if (st) segmentsInSet++;
    switch (segment.id) {
      case "ISA":
        if (isa) add(`An ISA (segment ${segment.ordinal}) starts before IEA closed the interchange ${elementOf(isa, 13)}.`, segment.ordinal);
        isa = segment;
        groups = 0;
        break;
      case "GS":
        if (gs) add(`A GS (segment ${segment.ordinal}) starts before GE closed group ${elementOf(gs, 6)}.`, segment.ordinal);
        gs = segment;
        groups++;
        sets = 0;
        break;
      case "ST":
        if (st) add(`An ST (segment ${segment.ordinal}) starts before SE closed transaction set ${elementOf(st, 2)}.`, segment.ordinal);
        st = segment;
        sets++;
        segmentsInSet = 1;
        break;
      case "SE":
        if (!st) {
          add(`SE (segment ${segment.ordinal}) has no ST before it.`, segment.ordinal);
          break;
        }
        if (elementOf(segment, 1) !== String(segmentsInSet)) {
          add(
            `SE01 says transaction set ${elementOf(st, 2)} has ${elementOf(segment, 1) || "no"} segments; it has ${segmentsInSet} (ST to SE).`,
            segment.ordinal,
          );
        }
        if (elementOf(segment, 2) !== elementOf(st, 2)) add(`SE02 (${elementOf(segment, 2)}) does not match ST02 (${elementOf(st, 2)}).`, segment.ordinal);
        if (gs && elementOf(st, 3) && elementOf(gs, 8) && elementOf(st, 3) !== elementOf(gs, 8)) {
          add(`ST03 (${elementOf(st, 3)}) differs from the group's GS08 (${elementOf(gs, 8)}).`, segment.ordinal);
        }
        st = null;
        break;
      case "GE":
        if (st) add(`GE (segment ${segment.ordinal}) comes before SE closed transaction set ${elementOf(st, 2)}.`, segment.ordinal);
        if (!gs) {
          add(`GE (segment ${segment.ordinal}) has no GS before it.`, segment.ordinal);
          break;
        }
        if (elementOf(segment, 1) !== String(sets))
          add(`GE01 says group ${elementOf(gs, 6)} has ${elementOf(segment, 1) || "no"} transaction sets; it has ${sets}.`, segment.ordinal);
        if (elementOf(segment, 2) !== elementOf(gs, 6)) add(`GE02 (${elementOf(segment, 2)}) does not match GS06 (${elementOf(gs, 6)}).`, segment.ordinal);
        gs = null;
        break;
      case "IEA":
        if (gs) add(`IEA (segment ${segment.ordinal}) comes before GE closed group ${elementOf(gs, 6)}.`, segment.ordinal);
        if (!isa) {
          add(`IEA (segment ${segment.ordinal}) has no ISA before it.`, segment.ordinal);
          break;
        }
        if (elementOf(segment, 1) !== String(groups))
          add(`IEA01 says the interchange has ${elementOf(segment, 1) || "no"} functional groups; it has ${groups}.`, segment.ordinal);
        if (elementOf(segment, 2) !== elementOf(isa, 13))
          add(`IEA02 (${elementOf(segment, 2)}) does not match ISA13 (${elementOf(isa, 13)}).`, segment.ordinal);
        isa = null;
        break;
    }
  }
  if (st) add(`Transaction set ${elementOf(st, 2)} has no SE trailer.`);
  if (gs) add(`Functional group ${elementOf(gs, 6)} has no GE trailer.`);
  if (isa) add(`Interchange ${elementOf(isa, 13)} has no IEA trailer.`);
  return problems;
}

/** HL01 counts 1, 2, 3… within each transaction set; HL02 names an earlier HL01 (or is empty for the top level). */
export function checkHierarchy(interchange: X12Interchange): X12Problem[] {
  const problems: X12Problem[] = [];
  let seen = new Set<string>();
  let expected = 1;
  for (const segment of interchange.segments) {
    if (segment.id === "ST") {
      seen = new Set();
      expected = 1;
    }
    if (segment.id !== "HL") continue;
    const id = elementOf(segment, 1);
    const parent = elementOf(segment, 2);
    if (id !== String(expected))
      problems.push({
        kind: "hierarchy",
        message: `HL01 is ${id || "empty"} where ${expected} comes next (HL ids count up from 1 in each transaction set).`,
        segment: segment.ordinal,
      });
    if (parent !== "" && !seen.has(parent))
      problems.push({ kind: "hierarchy", message: `HL ${id} names parent ${parent}, which is not an earlier HL.`, segment: segment.ordinal });
    seen.add(id);
    expected = (Number(id) || expected) + 1;
  }
  return problems;
}
