import { readFileSync } from "node:fs";
import { z } from "zod";

const ZCents = z.number().int().min(0);

/** One payer the emulated clearinghouse knows, with how it adjudicates and what its 271 says (README "Configuration"). */
export const ZEmulatorPayer = z.strictObject({
  /** 2010BB NM109 / the 270's 2100A payer id. A claim to any other id is rejected (277CA A3:21:PR). */
  payerId: z.string().min(1).max(80),
  name: z.string().min(1).max(60),
  /** Allowed amount per unit, by procedure code, in cents. */
  feeSchedule: z.record(z.string(), ZCents).default({}),
  /** For a code not in the fee schedule: allowed = charge × this percent. */
  defaultAllowedPercent: z.number().min(0).max(100).default(70),
  /** Plan-year individual deductible, co-pay per claim (office visit) and coinsurance (basis points: 2000 = 20 %). */
  deductibleCents: ZCents.default(0),
  copayCents: ZCents.default(0),
  coinsuranceBasisPoints: z.number().int().min(0).max(10_000).default(0),
  outOfPocketMaxCents: ZCents.nullable().default(null),
  /**
   * Modifiers a procedure code must carry, by code (e.g. 87880 → QW, a CLIA-waived test). A line
   * whose code is listed here without its modifier is denied: paid 0, CO-4, remark M20 (README "Adjudication").
   */
  requiredModifiers: z.record(z.string(), z.string().regex(/^[A-Z0-9]{2}$/)).default({}),
  /** Members the 271 reports as not covered (EB*6); every other member id is active. */
  inactiveMemberIds: z.array(z.string()).default([]),
  /** The payer's tax id for the 835's TRN03 (1 + 9 digits). */
  taxId: z
    .string()
    .regex(/^\d{9}$/)
    .default("123456789"),
});
export type EmulatorPayer = z.infer<typeof ZEmulatorPayer>;

export const ZEmulatorConfig = z.strictObject({
  /** ISA06/GS02 of what the emulator sends, and the id a submitter's 837 must be addressed to (ISA08). */
  clearinghouseId: z
    .string()
    .regex(/^[A-Z0-9-]{1,15}$/)
    .default("CAREBILLCH"),
  clearinghouseName: z.string().min(1).max(60).default("CAREBILL CLEARINGHOUSE EMULATOR"),
  /** Seconds between the 277CA and the 835 (0 in tests). */
  remittanceDelaySeconds: z.number().min(0).max(86_400).default(20),
  payers: z.array(ZEmulatorPayer).default([]),
  /**
   * What members had met this plan year before the emulator first saw them, by "<payer id>|<member
   * id>" (the state then keeps counting): so a demo patient can have most of a deductible behind her.
   */
  members: z.record(z.string(), z.strictObject({ deductibleMetCents: ZCents, outOfPocketMetCents: ZCents })).default({}),
});
export type EmulatorConfig = z.infer<typeof ZEmulatorConfig>;

/** The default configuration: clearinghouse-emulator/config.json. */
export const DEFAULT_CONFIG_FILE = new URL("../config.json", import.meta.url);

export function readEmulatorConfig(file: string | URL = DEFAULT_CONFIG_FILE): EmulatorConfig {
  return ZEmulatorConfig.parse(JSON.parse(readFileSync(file, "utf8")));
}
