/**
 * The clearinghouse emulator's answers to one 837P file, as a clinic on a manual connection gets
 * them from the portal: the 999 (syntax, the emulator's structure check) and the 277CA (each claim
 * judged by the emulator's documented rules). Same functions the emulator's SFTP loop runs, without
 * the server. Writes `<dir>/answer.999.x12` and `<dir>/answer.277ca.x12`; prints their paths as JSON.
 *   node --import tsx e2e/clearinghouse-answer.ts <file.837> <dir>
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEmulatorConfig } from "@/clearinghouse-emulator/src/config";
import { read837P } from "@/clearinghouse-emulator/src/read-837p";
import { judgeClaim, write277CA, write999 } from "@/clearinghouse-emulator/src/responses";
import { checkStructure } from "@/lib/x12/check-structure";
import { parseLoopMap } from "@/lib/x12/loop-map";
import { elementOf, readX12 } from "@/lib/x12/read-x12";

const [file, dir] = process.argv.slice(2);
if (!file || !dir) throw new Error("usage: node --import tsx e2e/clearinghouse-answer.ts <file.837> <dir>");

const config = readEmulatorConfig();
const text = readFileSync(file, "utf8");
const problems = checkStructure(text, parseLoopMap(readFileSync("lib/x12/__fixtures__/imsweb/mapping/837.5010.X222.A1.xml", "utf8")));
const interchange = readX12(text);
const isa = interchange.segments[0]!;
const submitterId = elementOf(isa, 6).trim();
const usage = elementOf(isa, 15) === "T" ? "T" : "P";
const submitted = read837P(text);
// Control numbers from the clock: a test clinic's files never repeat one (the import refuses repeats).
const base = Math.floor(Date.now() / 1000) % 900_000_000;
const envelope = (offset: number) => ({ submitterId, interchangeControlNumber: base + offset, createdAt: new Date(), usage }) as const;

const ack = write999(
  config,
  envelope(0),
  { groupControlNumber: submitted.groupControlNumber, setControlNumbers: submitted.transactionSets.map((set) => set.controlNumber), text },
  problems,
);
const verdicts = submitted.transactionSets
  .flatMap((set) => set.claims)
  .map((claim, index) => judgeClaim(config, claim, `PCN${String(base + index).padStart(10, "0")}`));
const bht = interchange.segments.find((segment) => segment.id === "BHT");
const submitter = interchange.segments.find((segment) => segment.id === "NM1" && elementOf(segment, 1) === "41");
const status = write277CA(
  config,
  envelope(1),
  { ...submitted, batchReference: bht ? elementOf(bht, 3) : "", submitterName: submitter ? elementOf(submitter, 3) : "" },
  verdicts,
);
const paths = { "999": join(dir, "answer.999.x12"), "277CA": join(dir, "answer.277ca.x12") };
writeFileSync(paths["999"], ack);
writeFileSync(paths["277CA"], status);
process.stdout.write(`${JSON.stringify({ ...paths, problems: problems.length })}\n`);
