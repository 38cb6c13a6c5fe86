/**
 * What `npm run seed:large` bills and for whom: four fictional clinics of different sizes in four
 * US time zones, each with its own price list of CPT-like service codes (cash prices, cents) and
 * the visits it sees most (the services billed together, with how often). Constants only;
 * seed-large.ts turns them into rows.
 */

export type LargeService = {
  code: string | null;
  description: string;
  /** Cents per unit. */
  unitAmount: number;
  /** The quantity is drawn uniformly from minQuantity..maxQuantity (1..1 for most). */
  minQuantity?: number;
  maxQuantity?: number;
  /** Retail products are taxable where the clinic charges sales tax; services are not. */
  taxable?: boolean;
};

const S = {
  // Evaluation and management
  newStraightforward: { code: "99202", description: "Office visit, new patient, straightforward", unitAmount: 12_000 },
  newLow: { code: "99203", description: "Office visit, new patient, low complexity", unitAmount: 17_500 },
  newModerate: { code: "99204", description: "Office visit, new patient, moderate complexity", unitAmount: 26_000 },
  estMinimal: { code: "99212", description: "Office visit, established patient, straightforward", unitAmount: 9_000 },
  estLow: { code: "99213", description: "Office visit, established patient, low complexity", unitAmount: 13_500 },
  estModerate: { code: "99214", description: "Office visit, established patient, moderate complexity", unitAmount: 19_500 },
  estHigh: { code: "99215", description: "Office visit, established patient, high complexity", unitAmount: 27_000 },
  preventive18: { code: "99385", description: "Preventive visit, new patient, age 18–39", unitAmount: 22_000 },
  preventive40: { code: "99396", description: "Preventive visit, established patient, age 40–64", unitAmount: 24_000 },
  preventive65: { code: "99397", description: "Preventive visit, established patient, age 65+", unitAmount: 26_000 },
  wellInfant: { code: "99391", description: "Well-child visit, under 1 year", unitAmount: 18_000 },
  wellToddler: { code: "99392", description: "Well-child visit, age 1–4", unitAmount: 19_000 },
  wellChild: { code: "99393", description: "Well-child visit, age 5–11", unitAmount: 19_000 },
  wellTeen: { code: "99394", description: "Well-child visit, age 12–17", unitAmount: 20_000 },
  // Laboratory
  venipuncture: { code: "36415", description: "Blood draw (venipuncture)", unitAmount: 1_500 },
  cbc: { code: "85025", description: "Complete blood count (CBC) with differential", unitAmount: 2_800 },
  cmp: { code: "80053", description: "Comprehensive metabolic panel", unitAmount: 4_200 },
  lipid: { code: "80061", description: "Lipid panel", unitAmount: 3_800 },
  a1c: { code: "83036", description: "Hemoglobin A1c", unitAmount: 3_500 },
  tsh: { code: "84443", description: "Thyroid stimulating hormone (TSH)", unitAmount: 4_500 },
  urinalysis: { code: "81003", description: "Urinalysis, automated", unitAmount: 1_800 },
  strep: { code: "87880", description: "Rapid strep test", unitAmount: 3_000 },
  fluTest: { code: "87804", description: "Rapid influenza test", unitAmount: 3_500 },
  covidPcr: { code: "87635", description: "SARS-CoV-2 PCR test", unitAmount: 9_500 },
  // Vaccines and injections
  fluVaccine: { code: "90686", description: "Influenza vaccine, quadrivalent", unitAmount: 4_500 },
  tdap: { code: "90715", description: "Tdap vaccine", unitAmount: 6_200 },
  shingles: { code: "90750", description: "Shingles vaccine (recombinant)", unitAmount: 19_800 },
  mmr: { code: "90707", description: "MMR vaccine", unitAmount: 9_500 },
  dtap: { code: "90700", description: "DTaP vaccine", unitAmount: 5_500 },
  mmrv: { code: "90710", description: "MMRV vaccine", unitAmount: 24_000 },
  vaccineAdmin: { code: "90471", description: "Vaccine administration, first", unitAmount: 2_500 },
  vaccineAdminMore: { code: "90472", description: "Vaccine administration, each additional", unitAmount: 1_500, minQuantity: 1, maxQuantity: 3 },
  injection: { code: "96372", description: "Therapeutic injection, IM/SC", unitAmount: 3_500 },
  methylpred: { code: "J1030", description: "Methylprednisolone acetate, 40 mg", unitAmount: 2_500 },
  // Screening and procedures
  developmental: { code: "96110", description: "Developmental screening", unitAmount: 2_500 },
  vision: { code: "99174", description: "Vision screening, instrument-based", unitAmount: 2_000 },
  hearing: { code: "92551", description: "Hearing screening", unitAmount: 2_000 },
  ecg: { code: "93000", description: "Electrocardiogram (ECG) with interpretation", unitAmount: 6_500 },
  spirometry: { code: "94010", description: "Spirometry", unitAmount: 8_500 },
  cerumen: { code: "69210", description: "Impacted cerumen removal", unitAmount: 7_000 },
  repair: { code: "12001", description: "Simple wound repair, up to 2.5 cm", unitAmount: 18_000 },
  // Orthopedics
  xrayShoulder: { code: "73030", description: "X-ray, shoulder, 2 views", unitAmount: 11_000 },
  xrayKnee: { code: "73560", description: "X-ray, knee, 1–2 views", unitAmount: 10_500 },
  xrayAnkle: { code: "73610", description: "X-ray, ankle, 3 views", unitAmount: 10_000 },
  xrayLumbar: { code: "72100", description: "X-ray, lumbar spine, 2–3 views", unitAmount: 12_500 },
  jointInjection: { code: "20610", description: "Joint injection, major joint", unitAmount: 16_000 },
  tendonInjection: { code: "20550", description: "Tendon sheath injection", unitAmount: 12_000 },
  splint: { code: "29125", description: "Short arm splint application", unitAmount: 9_500 },
  exercise: { code: "97110", description: "Therapeutic exercise, each 15 min", unitAmount: 4_500, minQuantity: 1, maxQuantity: 4 },
  manualTherapy: { code: "97140", description: "Manual therapy, each 15 min", unitAmount: 4_800, minQuantity: 1, maxQuantity: 3 },
  ptEval: { code: "97162", description: "Physical therapy evaluation, moderate complexity", unitAmount: 16_500 },
  kneeBrace: { code: "L1820", description: "Knee orthosis, elastic with joints", unitAmount: 18_000 },
  // Dermatology
  biopsy: { code: "11102", description: "Tangential skin biopsy, single lesion", unitAmount: 15_000 },
  wart: { code: "17110", description: "Destruction of benign lesions, up to 14", unitAmount: 12_000 },
  akFirst: { code: "17000", description: "Destruction of premalignant lesion, first", unitAmount: 11_000 },
  akMore: { code: "17003", description: "Destruction of premalignant lesions, 2–14, each", unitAmount: 1_200, minQuantity: 1, maxQuantity: 8 },
  skinTag: { code: "11200", description: "Removal of skin tags, up to 15", unitAmount: 14_000 },
  abscess: { code: "10060", description: "Incision and drainage of abscess", unitAmount: 19_000 },
  pathology: { code: "88305", description: "Surgical pathology, gross and microscopic", unitAmount: 9_500 },
  sunscreen: { code: null, description: "Mineral sunscreen SPF 50 (retail)", unitAmount: 2_800, taxable: true },
  moisturizer: { code: null, description: "Barrier repair moisturizer (retail)", unitAmount: 3_500, taxable: true },
  retinoid: { code: null, description: "Retinol night serum (retail)", unitAmount: 5_200, taxable: true },
} satisfies Record<string, LargeService>;

/** A visit: the services billed together, and its relative frequency. */
export type LargeVisit = { weight: number; services: LargeService[] };

export type LargeOrganization = {
  slug: string;
  name: string;
  timezone: string;
  city: string;
  region: string;
  postalCode: string;
  addressLine1: string;
  /** Share of all invoices. */
  share: number;
  /** Sales tax in thousandths of a percent on taxable lines (0: none). */
  taxRateMilliPercent: number;
  visits: LargeVisit[];
};

export const LARGE_ORGANIZATIONS: LargeOrganization[] = [
  {
    slug: "large-riverside-family",
    name: "Riverside Family Medicine",
    timezone: "America/New_York",
    city: "Philadelphia",
    region: "PA",
    postalCode: "19103",
    addressLine1: "1800 Walnut Street, Suite 400",
    share: 0.45,
    taxRateMilliPercent: 0,
    visits: [
      { weight: 22, services: [S.estLow] },
      { weight: 12, services: [S.estModerate] },
      { weight: 4, services: [S.estHigh] },
      { weight: 3, services: [S.estMinimal] },
      { weight: 5, services: [S.newLow] },
      { weight: 2, services: [S.newModerate, S.urinalysis] },
      { weight: 6, services: [S.estLow, S.strep] },
      { weight: 3, services: [S.estLow, S.fluTest] },
      { weight: 2, services: [S.estModerate, S.covidPcr] },
      { weight: 7, services: [S.estModerate, S.venipuncture, S.a1c, S.cmp] },
      { weight: 6, services: [S.estModerate, S.venipuncture, S.lipid, S.cbc] },
      { weight: 2, services: [S.estModerate, S.venipuncture, S.tsh] },
      { weight: 5, services: [S.preventive40, S.venipuncture, S.lipid, S.a1c] },
      { weight: 3, services: [S.preventive65, S.venipuncture, S.cmp, S.lipid, S.cbc] },
      { weight: 2, services: [S.preventive18] },
      { weight: 6, services: [S.fluVaccine, S.vaccineAdmin] },
      { weight: 2, services: [S.tdap, S.vaccineAdmin] },
      { weight: 2, services: [S.shingles, S.vaccineAdmin] },
      { weight: 3, services: [S.estModerate, S.ecg] },
      { weight: 1, services: [S.estModerate, S.spirometry] },
      { weight: 1, services: [S.estLow, S.cerumen] },
      { weight: 1, services: [S.estLow, S.repair] },
      { weight: 2, services: [S.estLow, S.injection, S.methylpred] },
    ],
  },
  {
    slug: "large-sunset-pediatrics",
    name: "Sunset Pediatrics",
    timezone: "America/Los_Angeles",
    city: "San Diego",
    region: "CA",
    postalCode: "92103",
    addressLine1: "3900 Fifth Avenue, Suite 210",
    share: 0.27,
    taxRateMilliPercent: 0,
    visits: [
      { weight: 8, services: [S.wellInfant, S.developmental] },
      { weight: 5, services: [S.wellInfant, S.dtap, S.vaccineAdmin, S.vaccineAdminMore] },
      { weight: 6, services: [S.wellToddler, S.developmental, S.mmr, S.vaccineAdmin] },
      { weight: 6, services: [S.wellChild, S.vision, S.hearing] },
      { weight: 2, services: [S.wellChild, S.mmrv, S.vaccineAdmin] },
      { weight: 5, services: [S.wellTeen, S.vision] },
      { weight: 18, services: [S.estLow] },
      { weight: 7, services: [S.estModerate] },
      { weight: 10, services: [S.estLow, S.strep] },
      { weight: 5, services: [S.estLow, S.fluTest] },
      { weight: 7, services: [S.fluVaccine, S.vaccineAdmin] },
      { weight: 3, services: [S.newLow] },
      { weight: 2, services: [S.estLow, S.cerumen] },
      { weight: 1, services: [S.estModerate, S.repair] },
    ],
  },
  {
    slug: "large-summit-orthopedics",
    name: "Summit Orthopedics & Sports Medicine",
    timezone: "America/Denver",
    city: "Denver",
    region: "CO",
    postalCode: "80206",
    addressLine1: "250 Cherry Creek Drive North",
    share: 0.17,
    taxRateMilliPercent: 0,
    visits: [
      { weight: 8, services: [S.newModerate, S.xrayKnee] },
      { weight: 6, services: [S.newModerate, S.xrayShoulder] },
      { weight: 4, services: [S.newLow, S.xrayAnkle, S.splint] },
      { weight: 4, services: [S.newModerate, S.xrayLumbar] },
      { weight: 14, services: [S.estModerate] },
      { weight: 8, services: [S.estLow] },
      { weight: 7, services: [S.estModerate, S.jointInjection, S.methylpred] },
      { weight: 3, services: [S.estLow, S.tendonInjection, S.methylpred] },
      { weight: 4, services: [S.estModerate, S.kneeBrace] },
      { weight: 5, services: [S.ptEval, S.exercise] },
      { weight: 20, services: [S.exercise, S.manualTherapy] },
      { weight: 2, services: [S.estHigh, S.xrayKnee, S.xrayShoulder] },
    ],
  },
  {
    slug: "large-bayou-dermatology",
    name: "Bayou Dermatology",
    timezone: "America/Chicago",
    city: "New Orleans",
    region: "LA",
    postalCode: "70115",
    addressLine1: "4400 Magazine Street",
    share: 0.11,
    // Retail skin care is taxed (the visits are not).
    taxRateMilliPercent: 9_450,
    visits: [
      { weight: 10, services: [S.newLow] },
      { weight: 16, services: [S.estLow] },
      { weight: 6, services: [S.estModerate] },
      { weight: 8, services: [S.estLow, S.biopsy, S.pathology] },
      { weight: 6, services: [S.estLow, S.akFirst, S.akMore] },
      { weight: 5, services: [S.estLow, S.wart] },
      { weight: 3, services: [S.skinTag] },
      { weight: 2, services: [S.estModerate, S.abscess] },
      { weight: 5, services: [S.estLow, S.sunscreen] },
      { weight: 3, services: [S.estLow, S.moisturizer, S.retinoid] },
      { weight: 2, services: [S.sunscreen, S.moisturizer] },
      { weight: 2, services: [S.estLow, S.injection] },
    ],
  },
];

/** Password of the clinics' admins (admin@<slug>.example.test), to look at the result in the app. */
export const LARGE_ADMIN_PASSWORD = "large-seed-password";

export const FIRST_NAMES = [
  "Maria",
  "James",
  "Aisha",
  "Wei",
  "Daniel",
  "Priya",
  "Marcus",
  "Sofia",
  "Hiroshi",
  "Fatima",
  "Ethan",
  "Amara",
  "Luis",
  "Emily",
  "Grace",
  "Samuel",
  "Olivia",
  "Mateo",
  "Chloe",
  "Jamal",
  "Hannah",
  "Noah",
  "Yuki",
  "Isabella",
  "Omar",
  "Leah",
  "Carlos",
  "Zoe",
  "Kwame",
  "Ava",
  "Diego",
  "Mia",
  "Arjun",
  "Nora",
  "Elijah",
  "Lucia",
  "Tariq",
  "Ruth",
  "Andre",
  "Ingrid",
  "Kenji",
  "Esther",
  "Malik",
  "Rosa",
  "Ivan",
  "Naomi",
  "Felix",
  "Alma",
  "Theo",
  "Lena",
];
export const LAST_NAMES = [
  "Gonzalez",
  "Whitaker",
  "Rahman",
  "Chen",
  "O'Connor",
  "Natarajan",
  "Johnson",
  "Rossi",
  "Tanaka",
  "Al-Sayed",
  "Miller",
  "Okafor",
  "Hernández",
  "Nguyen",
  "Kim",
  "Levy",
  "Bennett",
  "Silva",
  "Dubois",
  "Washington",
  "Patel",
  "Schmidt",
  "Kowalski",
  "Ivanova",
  "Murphy",
  "Garcia",
  "Lee",
  "Brown",
  "Davis",
  "Martinez",
  "Lopez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Moore",
  "Jackson",
  "Martin",
  "Thompson",
  "White",
  "Harris",
  "Clark",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
];

/** Card declines by how often Stripe reports them (decline code, and the issuer's message). */
export const DECLINES: { weight: number; code: string; message: string }[] = [
  { weight: 38, code: "insufficient_funds", message: "Your card has insufficient funds." },
  { weight: 22, code: "generic_decline", message: "Your card was declined." },
  { weight: 9, code: "do_not_honor", message: "Your card was declined." },
  { weight: 8, code: "expired_card", message: "Your card has expired." },
  { weight: 7, code: "incorrect_cvc", message: "Your card's security code is incorrect." },
  { weight: 5, code: "authentication_required", message: "Your card was declined. This transaction requires authentication." },
  { weight: 4, code: "card_velocity_exceeded", message: "Your card has exceeded its velocity limit." },
  { weight: 3, code: "processing_error", message: "An error occurred while processing your card. Try again in a little bit." },
  { weight: 2, code: "lost_card", message: "Your card was declined." },
  { weight: 1, code: "fraudulent", message: "Your card was declined." },
  { weight: 1, code: "incorrect_zip", message: "Your card's postal code is incorrect." },
];
