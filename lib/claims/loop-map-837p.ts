import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseLoopMap, type MapLoop } from "@/lib/x12/loop-map";

/** imsweb's 837P map (BSD-3-Clause, vendored with the X12 groundwork: docs/x12.md). */
const MAP_FILE = join(process.cwd(), "lib", "x12", "__fixtures__", "imsweb", "mapping", "837.5010.X222.A1.xml");

let loaded: MapLoop | undefined;

/**
 * The 837P loop map every batch is checked against before it is stored, parsed once per process
 * (about a second for the 1.1 MB file): call it before a transaction takes locks.
 */
export function get837PLoopMap(): MapLoop {
  loaded ??= parseLoopMap(readFileSync(MAP_FILE, "utf8"));
  return loaded;
}
