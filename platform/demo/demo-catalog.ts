/**
 * What the demo clinic bills and whom: its patients (fictional people with @example.com addresses
 * and phone numbers in the 555-0100…555-0199 range reserved for fiction) and its price list.
 * Constants only; demo-activity.ts decides, with a seeded random generator, who comes when.
 */

/** A deterministic pseudo-random generator (mulberry32): the same seed gives the same demo every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type DemoService = { serviceCode: string; description: string; unitAmount: number };

/** A family practice's cash prices, in cents. */
export const SERVICES = {
  newVisit: { serviceCode: "99203", description: "Office visit, new patient (30 min)", unitAmount: 17_500 },
  visitLow: { serviceCode: "99213", description: "Office visit, established patient (low complexity)", unitAmount: 13_500 },
  visitModerate: { serviceCode: "99214", description: "Office visit, established patient (moderate complexity)", unitAmount: 19_500 },
  preventive: { serviceCode: "99396", description: "Annual preventive visit, age 40–64", unitAmount: 24_000 },
  venipuncture: { serviceCode: "36415", description: "Blood draw (venipuncture)", unitAmount: 1_500 },
  cbc: { serviceCode: "85025", description: "Complete blood count (CBC)", unitAmount: 2_800 },
  metabolicPanel: { serviceCode: "80053", description: "Comprehensive metabolic panel", unitAmount: 4_200 },
  lipidPanel: { serviceCode: "80061", description: "Lipid panel", unitAmount: 3_800 },
  a1c: { serviceCode: "83036", description: "Hemoglobin A1c", unitAmount: 3_500 },
  strep: { serviceCode: "87880", description: "Rapid strep test", unitAmount: 3_000 },
  urinalysis: { serviceCode: "81003", description: "Urinalysis, automated", unitAmount: 1_800 },
  ecg: { serviceCode: "93000", description: "Electrocardiogram (ECG) with interpretation", unitAmount: 6_500 },
  fluVaccine: { serviceCode: "90686", description: "Influenza vaccine, quadrivalent", unitAmount: 4_500 },
  tdapVaccine: { serviceCode: "90715", description: "Tdap vaccine", unitAmount: 6_200 },
  shinglesVaccine: { serviceCode: "90750", description: "Shingles vaccine (recombinant)", unitAmount: 19_800 },
  vaccineAdmin: { serviceCode: "90471", description: "Vaccine administration", unitAmount: 2_500 },
} satisfies Record<string, DemoService>;

/** The visits a family practice sees most, each a list of services billed together. */
export const VISIT_TYPES: DemoService[][] = [
  [SERVICES.visitLow],
  [SERVICES.visitLow],
  [SERVICES.visitModerate],
  [SERVICES.visitLow, SERVICES.strep],
  [SERVICES.visitModerate, SERVICES.venipuncture, SERVICES.a1c, SERVICES.metabolicPanel],
  [SERVICES.visitModerate, SERVICES.venipuncture, SERVICES.lipidPanel, SERVICES.cbc],
  [SERVICES.preventive, SERVICES.venipuncture, SERVICES.lipidPanel, SERVICES.a1c],
  [SERVICES.visitLow, SERVICES.fluVaccine, SERVICES.vaccineAdmin],
  [SERVICES.fluVaccine, SERVICES.vaccineAdmin],
  [SERVICES.tdapVaccine, SERVICES.vaccineAdmin],
  [SERVICES.shinglesVaccine, SERVICES.vaccineAdmin],
  [SERVICES.visitModerate, SERVICES.ecg],
  [SERVICES.newVisit, SERVICES.urinalysis],
  [SERVICES.newVisit],
];

/** Forty patients with the names of a diverse American city; birth years span children to retirees. */
export const PATIENT_NAMES: [firstName: string, lastName: string][] = [
  ["Maria", "Gonzalez"],
  ["James", "Whitaker"],
  ["Aisha", "Rahman"],
  ["Wei", "Chen"],
  ["Daniel", "O'Connor"],
  ["Priya", "Natarajan"],
  ["Marcus", "Johnson"],
  ["Sofia", "Rossi"],
  ["Hiroshi", "Tanaka"],
  ["Fatima", "Al-Sayed"],
  ["Ethan", "Miller"],
  ["Amara", "Okafor"],
  ["Luis", "Hernández"],
  ["Emily", "Nguyen"],
  ["Grace", "Kim"],
  ["Samuel", "Levy"],
  ["Olivia", "Bennett"],
  ["Mateo", "Silva"],
  ["Chloe", "Dubois"],
  ["Jamal", "Washington"],
  ["Ana", "Kowalski"],
  ["Noah", "Patel"],
  ["Leilani", "Kahale"],
  ["Ivan", "Petrov"],
  ["Zoe", "Thompson"],
  ["Kwame", "Mensah"],
  ["Hannah", "Schmidt"],
  ["Diego", "Ramírez"],
  ["Mei", "Lin"],
  ["Robert", "Yazzie"],
  ["Isabella", "Moreau"],
  ["Omar", "Haddad"],
  ["Ruth", "Goldberg"],
  ["Tyler", "Brooks"],
  ["Nadia", "Ivanova"],
  ["Kenji", "Watanabe"],
  ["Camila", "Torres"],
  ["Elijah", "Carter"],
  ["Siobhan", "Murphy"],
  ["Arjun", "Mehta"],
];
