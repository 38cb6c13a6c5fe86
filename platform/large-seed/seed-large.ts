/**
 * `npm run seed:large`: a realistic billing history at scale (issue 16, point 6), written with
 * set-based SQL that is the SQL equivalent of the domain code, so a million invoices take minutes.
 *
 * Four clinics (large-catalog.ts) of different sizes in four time zones; per clinic, patients, then
 * one chunk per month over the last `months` months (one transaction each, counts growing over
 * time with a winter peak). Each chunk draws its invoices (clinic hours in the clinic's zone, lines
 * from its price list, a prompt-pay discount on some, sales tax on retail lines) and decides for
 * each what happened to it and when: paid at the front desk during the visit (terminal, cash,
 * check) or later (pay page card or bank debit, saved card, check, bank transfer, cash), partly
 * paid, never paid and written off after 120+ days, voided, reduced by a credit note, refunded
 * (credit note or reopened balance; a few refunds fail), disputed (open, won, lost then written off
 * or reopened), cards declined first, failed and abandoned attempts, overpayments kept as patient
 * credit. Events that would fall after `now` have not happened yet, so recent invoices are open.
 *
 * Rows are what the domain functions write, computed in SQL instead of one call per event:
 * - invoices and lines as computeInvoiceTotals computes them (percent discount per line rounded
 *   half up, tax per taxable line on amount − discount), numbers INV-00001… gapless per clinic in
 *   finalization order (counter "invoice"), money fields by changeInvoiceBalance's rules;
 * - payments with allocations (= applied_amount), receipt numbers (counter "receipt"), Stripe's
 *   fee on card (2.9% + 30¢) and bank debits (0.8%, at most $5);
 * - credit notes CN-… (counter "credit_note"), refunds, disputes;
 * - every journal with the lines post-journal.ts would post for the same event (finalize,
 *   void = reversal, credit note, card payment + fee, manual payment, write-off, refund credit note
 *   + refund.requested, refund failed = reversals, dispute opened/won/written off/reopened), zero
 *   lines dropped, the journal's time the event's time. Inserts name only the columns the domain
 *   code sets, so column defaults (ids, created_at, later columns) apply as they would there.
 * - patient credit balances from the patient-credit lines (as movePatientCredit keeps them).
 * The database's own checks run as usual: balanced journals (deferred trigger, at each chunk's
 * COMMIT), invoices_balance_consistent, payment and refund CHECKs, foreign keys.
 */
import type pg from "pg";
import { addDays, todayIn } from "@/lib/invoices/dates";
import { DEFAULT_ACCOUNTS } from "@/lib/ledger/accounts";
import { DECLINES, FIRST_NAMES, LARGE_ORGANIZATIONS, LAST_NAMES, type LargeOrganization } from "./large-catalog";

export type LargeSeedOptions = {
  invoices: number;
  /** How many months of history, ending at `now` (default 24). */
  months?: number;
  now?: Date;
  /** Called after each chunk with the invoices written so far. */
  onProgress?: (done: number, total: number, label: string) => void;
  /** PostgreSQL's random() seed (setseed, -1..1): the same draws on every run (default 0.16). */
  seed?: number;
};

export type LargeSeedOrganizationResult = { organizationId: string; slug: string; name: string; timezone: string; invoices: number; patients: number };
export type LargeSeedResult = { organizations: LargeSeedOrganizationResult[]; invoices: number; seconds: number };

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** seed:large writes millions of rows: only into a database on this machine. */
export function assertLocalDatabaseUrl(url: string): void {
  const { hostname } = new URL(url);
  if (!LOCAL_HOSTS.has(hostname)) throw new Error(`seed:large refuses the non-local database host ${hostname}: point DATABASE_URL at localhost.`);
}

/** `:name` placeholders → $1…; `::type` casts are left alone. */
function bind(text: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const names: string[] = [];
  const bound = text.replace(/(?<![:\w]):([a-z][a-z0-9_]*)/g, (_match, name: string) => {
    if (!(name in params)) throw new Error(`seed:large: no value for :${name}`);
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text: bound, values: names.map((name) => params[name]) };
}

async function run(client: pg.Client, text: string, params: Record<string, unknown> = {}): Promise<pg.QueryResult> {
  const statement = bind(text, params);
  return client.query(statement.text, statement.values);
}

/** Invoices per month: growing ~50% over the period, with a winter (flu season) peak. */
export function monthlyCounts(total: number, months: number, end: Date): number[] {
  const weights = Array.from({ length: months }, (_, index) => {
    const month = (end.getUTCMonth() - (months - 1 - index) + 120) % 12; // 0 = January
    const winter = month === 0 || month === 1 || month === 11 ? 1.15 : month >= 5 && month <= 7 ? 0.92 : 1;
    return (1 + (0.5 * index) / Math.max(1, months - 1)) * winter;
  });
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((weight) => Math.floor((total * weight) / sum));
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let index = counts.length - 1; left > 0; index = (index - 1 + counts.length) % counts.length, left--) counts[index]! += 1;
  return counts;
}

function shares(total: number): number[] {
  const counts = LARGE_ORGANIZATIONS.map((organization) => Math.floor(total * organization.share));
  counts[0]! += total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  result.setUTCMonth(result.getUTCMonth() + months);
  return result;
}

/** A calendar date `months` months away (the day of the month kept; the 31st may roll into the next month). */
function addMonthsIso(isoDate: string, months: number): string {
  return addMonths(new Date(`${isoDate}T00:00:00Z`), months)
    .toISOString()
    .slice(0, 10);
}

/** The session's lookup tables: price lists, visit mix, declines, account ids, patients by number. */
async function createLookups(client: pg.Client): Promise<void> {
  await client.query(`
    CREATE TEMP TABLE IF NOT EXISTS lg_visit (org_idx int, visit int, lo float8, hi float8);
    CREATE TEMP TABLE IF NOT EXISTS lg_item (org_idx int, visit int, position int, code text, description text, unit_amount int, q_min int, q_max int, tax_exempt boolean);
    CREATE TEMP TABLE IF NOT EXISTS lg_decline (lo float8, hi float8, code text, message text);
    CREATE TEMP TABLE IF NOT EXISTS lg_accounts (org_id uuid, code text, id uuid);
    CREATE TEMP TABLE IF NOT EXISTS lg_patients (org_idx int, n int, id uuid, PRIMARY KEY (org_idx, n));
    TRUNCATE lg_visit, lg_item, lg_decline, lg_accounts, lg_patients;`);
  const visits: unknown[][] = [];
  const items: unknown[][] = [];
  LARGE_ORGANIZATIONS.forEach((organization, orgIndex) => {
    const total = organization.visits.reduce((sum, visit) => sum + visit.weight, 0);
    let cumulative = 0;
    organization.visits.forEach((visit, visitIndex) => {
      const lo = cumulative / total;
      cumulative += visit.weight;
      visits.push([orgIndex, visitIndex, lo, visitIndex === organization.visits.length - 1 ? 1.000001 : cumulative / total]);
      visit.services.forEach((service, position) =>
        items.push([
          orgIndex,
          visitIndex,
          position + 1,
          service.code,
          service.description,
          service.unitAmount,
          service.minQuantity ?? 1,
          service.maxQuantity ?? 1,
          !(service.taxable && organization.taxRateMilliPercent > 0),
        ]),
      );
    });
  });
  const column = (rows: unknown[][], index: number) => rows.map((row) => row[index]);
  await client.query(
    `INSERT INTO lg_visit SELECT * FROM unnest($1::int[], $2::int[], $3::float8[], $4::float8[])`,
    [0, 1, 2, 3].map((i) => column(visits, i)),
  );
  await client.query(
    `INSERT INTO lg_item SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::boolean[])`,
    [0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => column(items, i)),
  );
  const declineTotal = DECLINES.reduce((sum, decline) => sum + decline.weight, 0);
  let cumulative = 0;
  const declines = DECLINES.map((decline, index) => {
    const lo = cumulative / declineTotal;
    cumulative += decline.weight;
    return [lo, index === DECLINES.length - 1 ? 1.000001 : cumulative / declineTotal, decline.code, decline.message];
  });
  await client.query(
    `INSERT INTO lg_decline SELECT * FROM unnest($1::float8[], $2::float8[], $3::text[], $4::text[])`,
    [0, 1, 2, 3].map((i) => column(declines, i)),
  );
}

/** The organization with its admin and chart of accounts (what createOrganization and ensureChartOfAccounts write). */
async function createOrganization(client: pg.Client, organization: LargeOrganization): Promise<{ organizationId: string; adminId: string }> {
  const { hashPassword } = await import("@/lib/auth/password");
  const { LARGE_ADMIN_PASSWORD } = await import("./large-catalog");
  const existing = await client.query(`SELECT 1 FROM organizations WHERE slug = $1`, [organization.slug]);
  if (existing.rowCount) throw new Error(`seed:large: the organization "${organization.slug}" already exists; seed into a fresh database`);
  const passwordHash = await hashPassword(LARGE_ADMIN_PASSWORD);
  const { rows } = await run(
    client,
    `WITH org AS (
       INSERT INTO organizations (slug, name, address_line1, city, region, postal_code, country, currency, timezone, phone, email, updated_at, created_at)
       VALUES (:slug, :name, :address, :city, :region, :postal, 'US', 'USD', :tz, '+12155550142', :email, :created, :created)
       RETURNING id
     ), admin AS (
       INSERT INTO users (email, name, password_hash, updated_at, created_at)
       VALUES (:admin_email, 'Clinic Admin', :hash, :created, :created)
       ON CONFLICT (email) DO UPDATE SET updated_at = users.updated_at
       RETURNING id
     ), membership AS (
       INSERT INTO memberships (organization_id, user_id, role, updated_at, created_at)
       SELECT org.id, admin.id, 'admin', :created, :created FROM org, admin
     ), accounts AS (
       INSERT INTO ledger_accounts (organization_id, code, name, type, created_at)
       SELECT org.id, a.code, a.name, a.type::"AccountType", :created FROM org, unnest(:codes::text[], :names::text[], :types::text[]) AS a(code, name, type)
     )
     SELECT org.id::text AS org_id, admin.id::text AS admin_id FROM org, admin`,
    {
      slug: organization.slug,
      name: organization.name,
      address: organization.addressLine1,
      city: organization.city,
      region: organization.region,
      postal: organization.postalCode,
      tz: organization.timezone,
      email: `billing@${organization.slug}.example.test`,
      admin_email: `admin@${organization.slug}.example.test`,
      hash: passwordHash,
      created: new Date(Date.now() - 3 * 365 * 86_400_000),
      codes: Object.values(DEFAULT_ACCOUNTS).map((account) => account.code),
      names: Object.values(DEFAULT_ACCOUNTS).map((account) => account.name),
      types: Object.values(DEFAULT_ACCOUNTS).map((account) => account.type),
    },
  );
  const organizationId = (rows[0] as { org_id: string }).org_id;
  await run(client, `INSERT INTO lg_accounts SELECT organization_id, code, id FROM ledger_accounts WHERE organization_id = :org::uuid`, {
    org: organizationId,
  });
  return { organizationId, adminId: (rows[0] as { admin_id: string }).admin_id };
}

/** The clinic's patients (numbered 0..count-1 in lg_patients for the chunks to draw from). */
async function createPatients(
  client: pg.Client,
  options: { organizationId: string; orgIndex: number; count: number; start: Date; organization: LargeOrganization },
) {
  const prefix = options.organization.slug.split("-")[1]!.slice(0, 3).toUpperCase();
  await run(
    client,
    `WITH made AS (
       SELECT g - 1 AS n, gen_random_uuid() AS id,
              (:first::text[])[1 + floor(random() * array_length(:first::text[], 1))::int] AS first_name,
              (:last::text[])[1 + floor(random() * array_length(:last::text[], 1))::int] AS last_name,
              random() AS r1, random() AS r2, random() AS r3
       FROM generate_series(1, :count) AS g
     ), inserted AS (
       INSERT INTO patients (id, organization_id, first_name, last_name, email, phone, date_of_birth, external_id, city, region, postal_code, country, created_at, updated_at)
       SELECT id, :org::uuid, first_name, last_name,
              CASE WHEN r1 < 0.75 THEN lower(regexp_replace(first_name || '.' || last_name, '[^A-Za-z.]', '', 'g')) || n || '@example.com' END,
              CASE WHEN r2 < 0.85 THEN '+1' || :area::text || '55501' || lpad((n % 100)::text, 2, '0') END,
              (date '1940-01-01' + floor(r3 * 30000)::int),
              :prefix::text || '-' || lpad(n::text, 7, '0'),
              :city, :region, :postal, 'US',
              :start::timestamptz - (r1 * interval '400 days'), :start::timestamptz - (r1 * interval '400 days')
       FROM made
       RETURNING id
     )
     INSERT INTO lg_patients (org_idx, n, id) SELECT :org_idx, n, id FROM made`,
    {
      first: FIRST_NAMES,
      last: LAST_NAMES,
      count: options.count,
      org: options.organizationId,
      org_idx: options.orgIndex,
      area: ["215", "619", "303", "504"][options.orgIndex] ?? "555",
      prefix,
      city: options.organization.city,
      region: options.organization.region,
      postal: options.organization.postalCode,
      start: options.start,
    },
  );
}

type ChunkParams = {
  org: string;
  org_idx: number;
  admin: string;
  n: number;
  /** The clinic's calendar days of the chunk: day_from inclusive, day_to exclusive. */
  day_from: string;
  day_to: string;
  now: Date;
  tz: string;
  tax: number;
  patients: number;
};

/** What happens to each invoice of the chunk, decided up front from its random draws (see the file comment). */
const PLAN_SQL = `
CREATE TEMP TABLE s_inv ON COMMIT DROP AS
WITH raw AS (
  SELECT gen_random_uuid() AS id,
         (:day_from::date + floor(random() * (:day_to::date - :day_from::date))::int)::timestamp AS local_day,
         random() AS u_visit, floor(random() * :patients)::int AS patient_n, random() AS u_hour,
         random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7, random() AS r8,
         random() AS r9, random() AS r10, random() AS r11, random() AS r12, random() AS r13, random() AS r14, random() AS r15, random() AS r16,
         random() AS r17, random() AS r18, random() AS r19, random() AS r20, random() AS r21, random() AS r22, random() AS r23, random() AS r24,
         random() AS r25, random() AS r26, random() AS r27, random() AS r28, random() AS r29, random() AS r30
  FROM generate_series(1, :n)
)
SELECT t.id, p.id AS patient_id, v.visit,
       -- Clinic hours on the clinic's calendar day (a Sunday moves to the Monday, or the Saturday at the window's end).
       least(((t.local_day + CASE WHEN extract(isodow FROM t.local_day) <> 7 THEN interval '0'
                                  WHEN t.local_day + interval '1 day' < :day_to::date THEN interval '1 day' ELSE interval '-1 day' END
              + interval '8 hours' + t.u_hour * interval '10 hours') AT TIME ZONE :tz), :now::timestamptz - interval '1 hour') AS at,
       CASE WHEN t.r2 < 0.08 THEN 10000 ELSE 0 END AS discount_milli,
       t.r1, t.r3, t.r4, t.r5, t.r6, t.r7, t.r8, t.r9, t.r10, t.r11, t.r12, t.r13, t.r14, t.r15, t.r16, t.r17, t.r18, t.r19, t.r20,
       t.r21, t.r22, t.r23, t.r24, t.r25, t.r26, t.r27, t.r28, t.r29, t.r30
FROM raw t
JOIN lg_patients p ON p.org_idx = :org_idx AND p.n = t.patient_n
JOIN lg_visit v ON v.org_idx = :org_idx AND t.u_visit >= v.lo AND t.u_visit < v.hi;

CREATE TEMP TABLE s_line ON COMMIT DROP AS
SELECT i.id AS invoice_id, it.position, it.description, it.code AS service_code, q.quantity, it.unit_amount, it.tax_exempt,
       q.quantity * it.unit_amount AS amount, d.discount_amount,
       CASE WHEN it.tax_exempt THEN 0 ELSE (((q.quantity * it.unit_amount - d.discount_amount)::bigint * :tax * 2 + 100000) / 200000)::int END AS tax_amount
FROM s_inv i
JOIN lg_item it ON it.org_idx = :org_idx AND it.visit = i.visit
CROSS JOIN LATERAL (SELECT it.q_min + floor(random() * (it.q_max - it.q_min + 1))::int + 0 * i.visit AS quantity) q
CROSS JOIN LATERAL (SELECT (((q.quantity * it.unit_amount)::bigint * i.discount_milli * 2 + 100000) / 200000)::int AS discount_amount) d;

CREATE TEMP TABLE s_plan ON COMMIT DROP AS
WITH tot AS (
  SELECT invoice_id, sum(amount)::int AS subtotal, sum(discount_amount)::int AS discount_total, sum(tax_amount)::int AS tax_total
  FROM s_line GROUP BY invoice_id
), planned AS MATERIALIZED (
  SELECT i.*, tot.subtotal, tot.discount_total, tot.tax_total, tot.subtotal - tot.discount_total + tot.tax_total AS total,
         a.*, b.*, c.*, d.*, e.*, f.*, g.*, h.*
  FROM s_inv i
  JOIN tot ON tot.invoice_id = i.id
  CROSS JOIN LATERAL (SELECT
    -- Drafts: a third of the last three days' visits, and a few forgotten ones.
    ((i.at > :now::timestamptz - interval '3 days' AND i.r1 < 0.3) OR i.r1 < 0.002) AS is_draft,
    (i.at <= :now::timestamptz - interval '3 days' AND i.r1 >= 0.98 AND i.at + interval '1 hour' + i.r22 * interval '5 days' <= :now::timestamptz) AS is_void,
    i.at + interval '1 hour' + i.r22 * interval '5 days' AS void_at,
    CASE WHEN i.r4 < 0.35 THEN 'visit' WHEN i.r4 < 0.40 THEN 'never' WHEN i.r4 < 0.48 THEN 'partial' ELSE 'later' END AS mode,
    CASE WHEN i.r4 < 0.35 OR i.r3 < 0.6 THEN 'due_on_receipt' ELSE 'net_30' END AS terms
    OFFSET 0
  ) a
  CROSS JOIN LATERAL (SELECT
    (NOT a.is_draft AND NOT a.is_void AND a.mode <> 'visit' AND i.r10 < 0.025 AND tot.subtotal - tot.discount_total + tot.tax_total >= 200
      AND i.at + interval '1 day' + i.r11 * interval '9 days' <= :now::timestamptz) AS cn_done,
    i.at + interval '1 day' + i.r11 * interval '9 days' AS cn_at
    OFFSET 0
  ) b
  CROSS JOIN LATERAL (SELECT
    CASE WHEN b.cn_done THEN greatest(1, least(tot.subtotal - tot.discount_total + tot.tax_total - 1,
      round((tot.subtotal - tot.discount_total + tot.tax_total) * (0.1 + i.r11 * 0.25))::int)) ELSE 0 END AS cn_amount
    OFFSET 0
  ) c
  CROSS JOIN LATERAL (SELECT
    CASE WHEN c.cn_amount > 0 AND tot.tax_total > 0
      THEN ((c.cn_amount::bigint * tot.tax_total * 2 + (tot.subtotal - tot.discount_total + tot.tax_total)) / (2 * (tot.subtotal - tot.discount_total + tot.tax_total)))::int
      ELSE 0 END AS cn_tax,
    tot.subtotal - tot.discount_total + tot.tax_total - c.cn_amount AS due1,
    (NOT a.is_draft AND NOT a.is_void AND a.mode <> 'never' AND tot.subtotal - tot.discount_total + tot.tax_total - c.cn_amount > 0) AS p1_planned,
    CASE WHEN a.mode = 'visit' THEN i.at + interval '5 minutes' + i.r5 * interval '40 minutes'
         ELSE greatest(i.at + interval '1 day' + (-ln(1 - i.r5 * 0.999)) * interval '18 days', CASE WHEN b.cn_done THEN b.cn_at + interval '1 day' END) END AS p1_at,
    CASE WHEN a.mode = 'visit' THEN (CASE WHEN i.r6 < 0.55 THEN 'card_terminal' WHEN i.r6 < 0.80 THEN 'cash' WHEN i.r6 < 0.90 THEN 'check' ELSE 'saved_card' END)
         ELSE (CASE WHEN i.r6 < 0.60 THEN 'pay_page_card' WHEN i.r6 < 0.64 THEN 'pay_page_bank' WHEN i.r6 < 0.73 THEN 'saved_card'
                    WHEN i.r6 < 0.87 THEN 'check' WHEN i.r6 < 0.94 THEN 'bank_transfer' ELSE 'cash' END) END AS p1_channel
    OFFSET 0
  ) d
  CROSS JOIN LATERAL (SELECT
    (d.p1_planned AND d.p1_at <= :now::timestamptz) AS p1_done,
    CASE WHEN NOT (d.p1_planned AND d.p1_at <= :now::timestamptz) THEN 0
         WHEN a.mode = 'partial' AND d.due1 >= 2 THEN greatest(1, least(d.due1 - 1, round(d.due1 * (0.3 + i.r7 * 0.4))::int))
         ELSE d.due1 END AS p1_amount,
    CASE WHEN d.p1_planned AND d.p1_at <= :now::timestamptz AND a.mode <> 'partial' AND d.p1_channel IN ('cash', 'check', 'bank_transfer') AND i.r21 < 0.01
         THEN 500 + floor(i.r28 * 46)::int * 100 ELSE 0 END AS excess
    OFFSET 0
  ) e
  CROSS JOIN LATERAL (SELECT
    (a.mode = 'partial' AND e.p1_done AND e.p1_amount < d.due1 AND i.r9 >= 0.3) AS p2_planned,
    d.p1_at + interval '3 days' + (-ln(1 - i.r8 * 0.999)) * interval '25 days' AS p2_at,
    CASE WHEN i.r9 < 0.72 THEN 'pay_page_card' WHEN i.r9 < 0.74 THEN 'pay_page_bank' WHEN i.r9 < 0.80 THEN 'saved_card'
         WHEN i.r9 < 0.90 THEN 'check' WHEN i.r9 < 0.96 THEN 'bank_transfer' ELSE 'cash' END AS p2_channel,
    (e.p1_done AND a.mode IN ('visit', 'later') AND d.p1_channel IN ('pay_page_card', 'saved_card') AND e.excess = 0) AS card_single
    OFFSET 0
  ) f
  CROSS JOIN LATERAL (SELECT
    (f.p2_planned AND f.p2_at <= :now::timestamptz) AS p2_done,
    CASE WHEN f.p2_planned AND f.p2_at <= :now::timestamptz THEN d.due1 - e.p1_amount ELSE 0 END AS p2_amount,
    (f.card_single AND i.r13 < 0.02 AND d.p1_at + interval '1 day' + i.r22 * interval '29 days' <= :now::timestamptz) AS ref_done,
    d.p1_at + interval '1 day' + i.r22 * interval '29 days' AS r_at,
    CASE WHEN i.r14 < 0.6 THEN e.p1_amount ELSE greatest(1, least(e.p1_amount, round(e.p1_amount * (0.2 + (i.r14 - 0.6) * 0.75))::int)) END AS r_amount,
    CASE WHEN i.r25 < 0.75 THEN 'credit_note' ELSE 'reopen_balance' END AS r_mode,
    (f.card_single AND NOT (i.r13 < 0.02) AND i.r15 < 0.004 AND d.p1_at + interval '7 days' + i.r27 * interval '50 days' <= :now::timestamptz) AS dis_done,
    d.p1_at + interval '7 days' + i.r27 * interval '50 days' AS d_at,
    d.p1_at + interval '7 days' + i.r27 * interval '50 days' + interval '35 days' + i.r16 * interval '40 days' AS d_close_at,
    i.at + interval '120 days' + i.r23 * interval '60 days' AS wo_at
    OFFSET 0
  ) g
  CROSS JOIN LATERAL (SELECT
    CASE WHEN NOT g.ref_done THEN NULL
         WHEN g.r_mode = 'credit_note' AND i.r26 < 0.03 AND g.r_at + interval '3 days' <= :now::timestamptz THEN 'failed'
         WHEN g.r_at > :now::timestamptz - interval '2 days' THEN 'pending' ELSE 'succeeded' END AS r_status,
    g.r_at + interval '3 days' AS r_fail_at,
    CASE WHEN NOT g.dis_done THEN NULL
         WHEN g.d_close_at > :now::timestamptz THEN (CASE WHEN g.d_at + interval '7 days' > :now::timestamptz THEN 'needs_response' ELSE 'under_review' END)
         WHEN i.r29 < 0.4 THEN 'won' ELSE 'lost' END AS d_status
    OFFSET 0
  ) h
), resolved AS MATERIALIZED (
  SELECT planned.*,
    CASE WHEN d_status = 'lost' AND d_close_at + interval '2 days' <= :now::timestamptz
         THEN (CASE WHEN r30 < 0.6 THEN 'written_off' WHEN r30 < 0.85 THEN 'reopened' END) END AS d_resolution,
    CASE WHEN ref_done AND r_status <> 'failed' AND r_mode = 'reopen_balance' THEN r_amount ELSE 0 END AS ref_reopen,
    CASE WHEN ref_done AND r_mode = 'credit_note' AND tax_total > 0 THEN ((r_amount::bigint * tax_total * 2 + total) / (2 * total))::int ELSE 0 END AS r_tax,
    (NOT is_draft AND NOT is_void AND NOT p2_planned AND mode IN ('never', 'partial') AND r12 < 0.6 AND wo_at <= :now::timestamptz
      AND due1 - p1_amount > 0 AND (NOT p1_done OR p1_at < wo_at)) AS wo_done
  FROM planned
), final AS MATERIALIZED (
  SELECT resolved.*,
    CASE WHEN wo_done THEN due1 - p1_amount ELSE 0 END AS wo_amount,
    CASE WHEN d_resolution = 'reopened' THEN p1_amount ELSE 0 END AS dis_reopen
  FROM resolved
)
SELECT final.*,
  CASE WHEN is_draft OR is_void THEN 0 ELSE p1_amount + p2_amount - ref_reopen - dis_reopen END AS amount_paid,
  CASE WHEN is_draft OR is_void THEN 0 ELSE total - (p1_amount + p2_amount - ref_reopen - dis_reopen) - cn_amount - wo_amount END AS amount_due,
  CASE WHEN is_draft THEN 'draft' WHEN is_void THEN 'void' WHEN wo_amount > 0 THEN 'uncollectible'
       WHEN total - (p1_amount + p2_amount - ref_reopen - dis_reopen) - cn_amount - wo_amount = 0 THEN 'paid'
       WHEN p1_amount + p2_amount - ref_reopen - dis_reopen > 0 THEN 'partially_paid' ELSE 'open' END AS status,
  CASE WHEN is_draft THEN NULL ELSE :inv_base + row_number() OVER (PARTITION BY is_draft ORDER BY at, id) END AS number_value,
  CASE WHEN NOT is_draft THEN gen_random_uuid() END AS j_fin,
  CASE WHEN is_void THEN gen_random_uuid() END AS j_void,
  CASE WHEN cn_done THEN gen_random_uuid() END AS cn_id,
  CASE WHEN cn_done THEN gen_random_uuid() END AS j_cn,
  CASE WHEN p1_done THEN gen_random_uuid() END AS p1_id,
  CASE WHEN p1_done THEN gen_random_uuid() END AS j_p1,
  CASE WHEN p1_done AND p1_channel IN ('pay_page_card', 'pay_page_bank', 'saved_card') THEN gen_random_uuid() END AS j_p1fee,
  CASE WHEN p2_done THEN gen_random_uuid() END AS p2_id,
  CASE WHEN p2_done THEN gen_random_uuid() END AS j_p2,
  CASE WHEN p2_done AND p2_channel IN ('pay_page_card', 'pay_page_bank', 'saved_card') THEN gen_random_uuid() END AS j_p2fee,
  CASE WHEN wo_done THEN gen_random_uuid() END AS j_wo,
  CASE WHEN ref_done THEN gen_random_uuid() END AS ref_id,
  CASE WHEN ref_done THEN gen_random_uuid() END AS j_ref,
  CASE WHEN ref_done AND r_mode = 'credit_note' THEN gen_random_uuid() END AS rcn_id,
  CASE WHEN ref_done AND r_mode = 'credit_note' THEN gen_random_uuid() END AS j_rcn,
  CASE WHEN r_status = 'failed' THEN gen_random_uuid() END AS j_reffail,
  CASE WHEN r_status = 'failed' THEN gen_random_uuid() END AS j_rcnvoid,
  CASE WHEN dis_done THEN gen_random_uuid() END AS dis_id,
  CASE WHEN dis_done THEN gen_random_uuid() END AS j_dopen,
  CASE WHEN d_status = 'won' THEN gen_random_uuid() END AS j_dwon,
  CASE WHEN d_resolution IS NOT NULL THEN gen_random_uuid() END AS j_dres,
  -- A card declined before it went through (the same PaymentIntent, tried again).
  (p1_done AND p1_channel IN ('pay_page_card', 'saved_card') AND r17 < 0.09) AS p1_declined_first,
  -- A separate attempt that failed and was never completed (another card, another day).
  (NOT is_draft AND NOT is_void AND ((p1_planned AND p1_channel IN ('pay_page_card', 'saved_card') AND r18 < 0.05) OR (mode = 'never' AND r18 < 0.3))) AS has_fail_row,
  -- An attempt abandoned on the pay page, canceled by the janitor a day later.
  (NOT is_draft AND NOT is_void AND mode <> 'visit' AND r20 < 0.03 AND at + interval '3 days' <= :now::timestamptz) AS has_cancel_row
FROM final;

CREATE TEMP TABLE s_pay ON COMMIT DROP AS
WITH attempts AS (
  SELECT p1_id AS id, id AS invoice_id, patient_id, p1_channel AS channel, 'succeeded' AS status, p1_amount + excess AS amount, p1_amount AS applied, excess AS credit,
         p1_at AS at, CASE WHEN p1_declined_first THEN p1_at - interval '2 minutes' - r17 * interval '20 minutes' END AS failed_at, r19 AS u_code,
         CASE WHEN ref_done AND r_status <> 'failed' THEN r_amount ELSE 0 END AS refunded,
         coalesce(d_status IN ('needs_response', 'under_review'), false) AS disputed, r24 AS u_misc
  FROM s_plan WHERE p1_done
  UNION ALL
  SELECT p2_id, id, patient_id, p2_channel, 'succeeded', p2_amount, p2_amount, 0, p2_at, NULL, r19, 0, false, r26 FROM s_plan WHERE p2_done
  UNION ALL
  SELECT gen_random_uuid(), id, patient_id, CASE WHEN r24 < 0.8 THEN 'pay_page_card' ELSE 'saved_card' END, 'failed', due1, 0, 0,
         CASE WHEN p1_done THEN at + r22 * (p1_at - at) ELSE at + interval '1 day' + r22 * interval '10 days' END,
         CASE WHEN p1_done THEN at + r22 * (p1_at - at) ELSE at + interval '1 day' + r22 * interval '10 days' END, r24, 0, false, r25
  FROM s_plan WHERE has_fail_row AND (p1_done OR at + interval '11 days' <= :now::timestamptz)
  UNION ALL
  SELECT gen_random_uuid(), id, patient_id, 'pay_page_card', 'canceled', due1, 0, 0, at + interval '1 day' + r23 * interval '1 day', NULL, r23, 0, false, r27
  FROM s_plan WHERE has_cancel_row
)
SELECT attempts.*,
  CASE WHEN channel IN ('pay_page_card', 'pay_page_bank') THEN 'pay_page' WHEN channel = 'saved_card' THEN 'saved_card' ELSE 'manual' END AS source,
  CASE channel WHEN 'pay_page_card' THEN 'card' WHEN 'saved_card' THEN 'card' WHEN 'pay_page_bank' THEN 'us_bank_account' ELSE channel END AS method,
  CASE WHEN status <> 'succeeded' THEN 0
       WHEN channel IN ('pay_page_card', 'saved_card') THEN ((amount::bigint * 58 + 1000) / 2000)::int + 30
       WHEN channel = 'pay_page_bank' THEN least(((amount::bigint * 16 + 1000) / 2000)::int, 500) ELSE 0 END AS fee,
  CASE WHEN status = 'succeeded' THEN :rct_base + row_number() OVER (PARTITION BY status = 'succeeded' ORDER BY at, id) END AS receipt_value,
  dcl.code AS failure_code, dcl.message AS failure_message,
  -- About one card attempt in eight goes through 3-D Secure.
  (channel IN ('pay_page_card', 'saved_card') AND status <> 'canceled' AND random() < 0.12) AS three_d_secure
FROM attempts
LEFT JOIN lg_decline dcl ON (attempts.failed_at IS NOT NULL) AND attempts.u_code >= dcl.lo AND attempts.u_code < dcl.hi;

CREATE TEMP TABLE s_cn ON COMMIT DROP AS
WITH notes AS (
  SELECT cn_id AS id, id AS invoice_id, patient_id, cn_amount AS amount, cn_tax AS tax, 'reduce_balance' AS disposition,
         CASE WHEN r11 < 0.5 THEN 'Courtesy adjustment approved by the practice manager' ELSE 'Billing correction: service billed at the wrong level' END AS reason,
         'issued' AS status, NULL::timestamptz AS voided_at, cn_at AS at
  FROM s_plan WHERE cn_done
  UNION ALL
  SELECT rcn_id, id, patient_id, r_amount, r_tax, 'refund', 'Refund: requested by the patient',
         CASE WHEN r_status = 'failed' THEN 'void' ELSE 'issued' END, CASE WHEN r_status = 'failed' THEN r_fail_at END, r_at
  FROM s_plan WHERE rcn_id IS NOT NULL
)
SELECT notes.*, :cn_base + row_number() OVER (ORDER BY at, id) AS number_value FROM notes;
`;

const num = (prefix: string, column: string) => `'${prefix}-' || CASE WHEN ${column} < 100000 THEN lpad(${column}::text, 5, '0') ELSE ${column}::text END`;

/** The rows, from the plan: what the domain functions would have written for the same events. */
const WRITE_SQL = `
INSERT INTO invoices (id, organization_id, patient_id, number, status, currency, tax_rate_milli_percent, discount_type, discount_value, terms, due_date,
                      subtotal, discount_total, tax_total, total, amount_paid, amount_written_off, amount_credited, amount_due, disputed,
                      finalized_at, sent_at, voided_at, void_reason, uncollectible_at, uncollectible_reason, created_at, updated_at)
SELECT id, :org::uuid, patient_id, CASE WHEN number_value IS NOT NULL THEN ${num("INV", "number_value")} END, status::"InvoiceStatus", 'USD', :tax,
       (CASE WHEN discount_milli > 0 THEN 'percent' ELSE 'none' END)::"DiscountType", discount_milli, terms::"PaymentTerms",
       CASE WHEN NOT is_draft THEN (at AT TIME ZONE :tz)::date + CASE WHEN terms = 'net_30' THEN 30 ELSE 0 END END,
       subtotal, discount_total, tax_total, total,
       amount_paid, wo_amount, CASE WHEN is_void THEN 0 ELSE cn_amount END, amount_due, coalesce(d_status IN ('needs_response', 'under_review'), false),
       CASE WHEN NOT is_draft THEN at END, CASE WHEN NOT is_draft AND mode <> 'visit' THEN at + interval '2 minutes' END,
       CASE WHEN is_void THEN void_at END, CASE WHEN is_void THEN 'Duplicate of another invoice for the same visit' END,
       CASE WHEN wo_done THEN wo_at END, CASE WHEN wo_done THEN 'Sent to collections after three statements without an answer' END,
       at - interval '5 minutes',
       greatest(at, CASE WHEN is_void THEN void_at END, CASE WHEN p1_done THEN p1_at END, CASE WHEN p2_done THEN p2_at END, CASE WHEN wo_done THEN wo_at END,
                CASE WHEN ref_done THEN r_at END, CASE WHEN dis_done THEN d_at END)
FROM s_plan;

INSERT INTO invoice_lines (invoice_id, position, description, service_code, quantity, unit_amount, tax_exempt, amount, discount_amount, tax_amount)
SELECT invoice_id, position, description, service_code, quantity, unit_amount, tax_exempt, amount, discount_amount, tax_amount FROM s_line;

INSERT INTO payments (id, organization_id, invoice_id, patient_id, source, method_type, status, currency, amount, amount_received, applied_amount, credit_amount,
                      fee_amount, amount_refunded, disputed, reference, received_on, recorded_by_id, stripe_payment_intent_id, stripe_charge_id,
                      card_brand, card_last4, failure_code, failure_message, failed_at, succeeded_at, canceled_at, receipt_number, cash_tendered,
                      keep_excess_as_credit, action_required_at, created_at, updated_at)
SELECT id, :org::uuid, invoice_id, patient_id, source::"PaymentSource", method::"PaymentMethodType", status::"PaymentStatus", 'USD', amount,
       CASE WHEN status = 'succeeded' THEN amount ELSE 0 END, applied, credit, fee, refunded, disputed,
       CASE method WHEN 'check' THEN 'Check ' || (1000 + floor(u_misc * 9000)::int) WHEN 'bank_transfer' THEN 'ACH ' || upper(substr(md5(id::text), 1, 10)) END,
       CASE WHEN source = 'manual' THEN (at AT TIME ZONE :tz)::date END,
       CASE WHEN source = 'manual' THEN :admin::uuid END,
       CASE WHEN source <> 'manual' THEN 'pi_' || replace(id::text, '-', '') END,
       CASE WHEN source <> 'manual' AND status IN ('succeeded', 'failed') THEN (CASE WHEN method = 'card' THEN 'ch_' ELSE 'py_' END) || substr(md5(id::text), 1, 24) END,
       CASE WHEN method = 'card' AND status IN ('succeeded', 'failed') THEN (CASE WHEN u_misc < 0.55 THEN 'visa' WHEN u_misc < 0.8 THEN 'mastercard' WHEN u_misc < 0.92 THEN 'amex' ELSE 'discover' END) END,
       CASE WHEN method = 'card' AND status IN ('succeeded', 'failed') THEN lpad(floor(u_misc * 10000)::int::text, 4, '0') END,
       failure_code, failure_message, failed_at,
       CASE WHEN status = 'succeeded' THEN at END, CASE WHEN status = 'canceled' THEN at + interval '1 day' END,
       CASE WHEN receipt_value IS NOT NULL THEN ${num("RCT", "receipt_value")} END,
       CASE WHEN method = 'cash' THEN amount + CASE WHEN u_misc < 0.5 THEN (2000 - amount % 2000) % 2000 ELSE 0 END END,
       credit > 0,
       CASE WHEN three_d_secure THEN coalesce(failed_at, at) - interval '40 seconds' END,
       CASE WHEN source = 'manual' THEN at ELSE coalesce(failed_at, at) - interval '1 minute' END,
       CASE WHEN status = 'canceled' THEN at + interval '1 day' ELSE at END
FROM s_pay;

INSERT INTO payment_allocations (payment_id, invoice_id, amount, created_at)
SELECT id, invoice_id, applied, at FROM s_pay WHERE status = 'succeeded' AND applied > 0;

INSERT INTO credit_notes (id, organization_id, invoice_id, patient_id, number, currency, amount, tax_amount, disposition, reason, status, voided_at, created_by_id, created_at)
SELECT id, :org::uuid, invoice_id, patient_id, ${num("CN", "number_value")}, 'USD', amount, tax, disposition::"CreditNoteDisposition", reason,
       status::"CreditNoteStatus", voided_at, :admin::uuid, at
FROM s_cn;

INSERT INTO refunds (id, organization_id, payment_id, invoice_id, patient_id, currency, amount, from_credit, reason, mode, status, stripe_refund_id, failure_reason,
                     credit_note_id, requested_by_id, succeeded_at, failed_at, created_at, updated_at)
SELECT ref_id, :org::uuid, p1_id, id, patient_id, 'USD', r_amount, 0,
       (CASE WHEN r14 < 0.85 THEN 'requested_by_customer' WHEN r14 < 0.95 THEN 'duplicate' ELSE 'other' END)::"RefundReason",
       r_mode::"RefundMode", r_status::"RefundStatus", 're_' || substr(md5(ref_id::text), 1, 24),
       CASE WHEN r_status = 'failed' THEN 'expired_or_canceled_card' END, rcn_id, :admin::uuid,
       CASE WHEN r_status = 'succeeded' THEN r_at + interval '1 day' END, CASE WHEN r_status = 'failed' THEN r_fail_at END, r_at,
       CASE r_status WHEN 'failed' THEN r_fail_at WHEN 'succeeded' THEN r_at + interval '1 day' ELSE r_at END
FROM s_plan WHERE ref_done;

INSERT INTO disputes (id, organization_id, payment_id, invoice_id, stripe_dispute_id, currency, amount, fee_amount, reason, status, evidence_due_by,
                      evidence_note, evidence_submitted_at, closed_at, resolution, resolved_at, created_at, updated_at)
SELECT dis_id, :org::uuid, p1_id, id, 'dp_' || substr(md5(dis_id::text), 1, 24), 'USD', p1_amount, 1500,
       (ARRAY['fraudulent', 'general', 'duplicate', 'product_unacceptable', 'credit_not_processed'])[1 + floor(r28 * 5)::int],
       d_status::"DisputeStatus", d_at + interval '21 days',
       CASE WHEN d_status <> 'needs_response' THEN 'Signed financial responsibility form, visit note and sign-in sheet attached.' END,
       CASE WHEN d_status <> 'needs_response' THEN d_at + interval '5 days' END,
       CASE WHEN d_status IN ('won', 'lost') THEN d_close_at END,
       d_resolution::"DisputeResolution", CASE WHEN d_resolution IS NOT NULL THEN d_close_at + interval '2 days' END,
       d_at, greatest(d_at, CASE WHEN d_status IN ('won', 'lost') THEN d_close_at END, CASE WHEN d_resolution IS NOT NULL THEN d_close_at + interval '2 days' END)
FROM s_plan WHERE dis_done;

CREATE TEMP TABLE s_j ON COMMIT DROP AS
SELECT j.* FROM s_plan p
LEFT JOIN s_cn cn ON cn.id = p.cn_id
LEFT JOIN s_cn rcn ON rcn.id = p.rcn_id
CROSS JOIN LATERAL (SELECT ${num("INV", "p.number_value")} AS number, ${num("CN", "cn.number_value")} AS cn_number, ${num("CN", "rcn.number_value")} AS rcn_number) n
CROSS JOIN LATERAL (VALUES
  (p.j_fin, 'invoice.finalized', 'Invoice ' || n.number, 'invoice', p.id, NULL::uuid, p.at),
  (p.j_void, 'invoice.voided', 'Void ' || n.number || ': Duplicate of another invoice for the same visit', 'invoice', p.id, p.j_fin, p.void_at),
  (p.j_cn, 'credit_note.issued', 'Credit note ' || n.cn_number || ' for ' || n.number, 'credit_note', p.cn_id, NULL, p.cn_at),
  (p.j_p1, CASE WHEN p.p1_channel IN ('pay_page_card', 'pay_page_bank', 'saved_card') THEN 'payment.succeeded' ELSE 'payment.manual' END,
   CASE WHEN p.p1_channel IN ('pay_page_card', 'pay_page_bank', 'saved_card') THEN 'Card payment for ' || n.number
        ELSE (CASE p.p1_channel WHEN 'cash' THEN 'Cash' WHEN 'check' THEN 'Check' WHEN 'card_terminal' THEN 'Card terminal' ELSE 'Bank transfer' END)
             || ' payment received ' || to_char(p.p1_at AT TIME ZONE :tz, 'YYYY-MM-DD') || ' for ' || n.number
             || CASE WHEN p.excess > 0 THEN ' (excess kept as patient credit)' ELSE '' END END,
   'payment', p.p1_id, NULL, p.p1_at),
  (p.j_p1fee, 'payment.fee', 'Stripe fee for ' || n.number, 'payment', p.p1_id, NULL, p.p1_at),
  (p.j_p2, CASE WHEN p.p2_channel IN ('pay_page_card', 'pay_page_bank', 'saved_card') THEN 'payment.succeeded' ELSE 'payment.manual' END,
   CASE WHEN p.p2_channel IN ('pay_page_card', 'pay_page_bank', 'saved_card') THEN 'Card payment for ' || n.number
        ELSE (CASE p.p2_channel WHEN 'cash' THEN 'Cash' WHEN 'check' THEN 'Check' WHEN 'card_terminal' THEN 'Card terminal' ELSE 'Bank transfer' END)
             || ' payment received ' || to_char(p.p2_at AT TIME ZONE :tz, 'YYYY-MM-DD') || ' for ' || n.number END,
   'payment', p.p2_id, NULL, p.p2_at),
  (p.j_p2fee, 'payment.fee', 'Stripe fee for ' || n.number, 'payment', p.p2_id, NULL, p.p2_at),
  (p.j_wo, 'invoice.written_off', 'Write-off ' || n.number || ': Sent to collections after three statements without an answer', 'invoice', p.id, NULL, p.wo_at),
  (p.j_rcn, 'credit_note.issued', 'Credit note ' || n.rcn_number || ' for ' || n.number, 'credit_note', p.rcn_id, NULL, p.r_at),
  (p.j_ref, 'refund.requested', 'Card refund for ' || n.number, 'refund', p.ref_id, NULL, p.r_at),
  (p.j_reffail, 'refund.failed', 'Refund failed for ' || n.number, 'refund', p.ref_id, p.j_ref, p.r_fail_at),
  (p.j_rcnvoid, 'credit_note.voided', 'Void ' || n.rcn_number || ': Refund failed', 'credit_note', p.rcn_id, p.j_rcn, p.r_fail_at),
  (p.j_dopen, 'dispute.opened', 'Chargeback on ' || n.number, 'dispute', p.dis_id, NULL, p.d_at),
  (p.j_dwon, 'dispute.won', 'Chargeback won on ' || n.number, 'dispute', p.dis_id, NULL, p.d_close_at),
  (p.j_dres, CASE WHEN p.d_resolution = 'reopened' THEN 'dispute.reopened' ELSE 'dispute.written_off' END,
   CASE WHEN p.d_resolution = 'reopened' THEN 'Lost chargeback reopened on ' ELSE 'Lost chargeback written off on ' END || n.number,
   'dispute', p.dis_id, NULL, p.d_close_at + interval '2 days')
) AS j(id, kind, memo, source_type, source_id, reverses_id, at)
WHERE j.id IS NOT NULL;

CREATE TEMP TABLE s_jl ON COMMIT DROP AS
SELECT l.* FROM s_plan p
LEFT JOIN s_pay p1 ON p1.id = p.p1_id
LEFT JOIN s_pay p2 ON p2.id = p.p2_id
CROSS JOIN LATERAL (SELECT
  CASE p.p1_channel WHEN 'cash' THEN '1000' WHEN 'check' THEN '1000' WHEN 'card_terminal' THEN '1030' WHEN 'bank_transfer' THEN '1020' ELSE '1010' END AS p1_debit,
  CASE p.p2_channel WHEN 'cash' THEN '1000' WHEN 'check' THEN '1000' WHEN 'card_terminal' THEN '1030' WHEN 'bank_transfer' THEN '1020' ELSE '1010' END AS p2_debit
) acct
CROSS JOIN LATERAL (VALUES
  (p.j_fin, '1100', p.total, p.id, NULL::uuid), (p.j_fin, '4000', -p.subtotal, NULL, NULL), (p.j_fin, '4900', p.discount_total, NULL, NULL), (p.j_fin, '2100', -p.tax_total, NULL, NULL),
  (p.j_void, '1100', -p.total, p.id, NULL), (p.j_void, '4000', p.subtotal, NULL, NULL), (p.j_void, '4900', -p.discount_total, NULL, NULL), (p.j_void, '2100', p.tax_total, NULL, NULL),
  (p.j_cn, '4910', p.cn_amount - p.cn_tax, NULL, NULL), (p.j_cn, '2100', p.cn_tax, NULL, NULL), (p.j_cn, '1100', -p.cn_amount, p.id, NULL),
  (p.j_p1, acct.p1_debit, p.p1_amount + p.excess, NULL, NULL), (p.j_p1, '1100', -p.p1_amount, p.id, NULL), (p.j_p1, '2200', -p.excess, NULL, p.patient_id),
  (p.j_p1fee, '6100', p1.fee, NULL, NULL), (p.j_p1fee, '1010', -p1.fee, NULL, NULL),
  (p.j_p2, acct.p2_debit, p.p2_amount, NULL, NULL), (p.j_p2, '1100', -p.p2_amount, p.id, NULL),
  (p.j_p2fee, '6100', p2.fee, NULL, NULL), (p.j_p2fee, '1010', -p2.fee, NULL, NULL),
  (p.j_wo, '6200', p.wo_amount, NULL, NULL), (p.j_wo, '1100', -p.wo_amount, p.id, NULL),
  (p.j_rcn, '4910', p.r_amount - p.r_tax, NULL, NULL), (p.j_rcn, '2100', p.r_tax, NULL, NULL), (p.j_rcn, '2200', -p.r_amount, NULL, p.patient_id),
  (p.j_ref, '2200', CASE WHEN p.r_mode = 'reopen_balance' THEN 0 ELSE p.r_amount END, NULL, p.patient_id),
  (p.j_ref, '1100', CASE WHEN p.r_mode = 'reopen_balance' THEN p.r_amount ELSE 0 END, p.id, NULL), (p.j_ref, '1010', -p.r_amount, NULL, NULL),
  (p.j_reffail, '2200', -p.r_amount, NULL, p.patient_id), (p.j_reffail, '1010', p.r_amount, NULL, NULL),
  (p.j_rcnvoid, '4910', -(p.r_amount - p.r_tax), NULL, NULL), (p.j_rcnvoid, '2100', -p.r_tax, NULL, NULL), (p.j_rcnvoid, '2200', p.r_amount, NULL, p.patient_id),
  (p.j_dopen, '1200', p.p1_amount, NULL, NULL), (p.j_dopen, '6110', 1500, NULL, NULL), (p.j_dopen, '1010', -(p.p1_amount + 1500), NULL, NULL),
  (p.j_dwon, '1010', p.p1_amount + 1500, NULL, NULL), (p.j_dwon, '1200', -p.p1_amount, NULL, NULL), (p.j_dwon, '6110', -1500, NULL, NULL),
  (p.j_dres, '1100', p.dis_reopen, p.id, NULL), (p.j_dres, '6300', p.p1_amount - p.dis_reopen, NULL, NULL), (p.j_dres, '1200', -p.p1_amount, NULL, NULL)
) AS l(journal_id, code, amount, invoice_id, patient_id)
WHERE l.journal_id IS NOT NULL AND l.amount <> 0;

INSERT INTO journal_entries (id, organization_id, currency, kind, memo, source_type, source_id, reverses_id, occurred_at, created_at)
SELECT id, :org::uuid, 'USD', kind, memo, source_type, source_id, reverses_id, at, at FROM s_j ORDER BY at;

INSERT INTO journal_lines (journal_entry_id, organization_id, account_id, amount, invoice_id, patient_id)
SELECT l.journal_id, :org::uuid, a.id, l.amount, l.invoice_id, l.patient_id
FROM s_jl l JOIN s_j j ON j.id = l.journal_id JOIN lg_accounts a ON a.org_id = :org::uuid AND a.code = l.code
ORDER BY j.at;

INSERT INTO patient_credit_balances (organization_id, patient_id, currency, balance, updated_at)
SELECT :org::uuid, l.patient_id, 'USD', -sum(l.amount), max(j.at)
FROM s_jl l JOIN s_j j ON j.id = l.journal_id WHERE l.code = '2200' GROUP BY l.patient_id
ON CONFLICT (patient_id, currency) DO UPDATE
  SET balance = patient_credit_balances.balance + EXCLUDED.balance, updated_at = greatest(patient_credit_balances.updated_at, EXCLUDED.updated_at);
`;

export const timings = new Map<string, number>();

/** One month of one clinic, in one transaction; returns how many invoices it wrote. */
async function seedChunk(client: pg.Client, params: ChunkParams): Promise<void> {
  await client.query("BEGIN");
  try {
    const counters = await run(
      client,
      `INSERT INTO organization_counters (organization_id, name, value)
       SELECT :org::uuid, name, 0 FROM unnest(ARRAY['invoice', 'credit_note', 'receipt']) AS name
       ON CONFLICT (organization_id, name) DO UPDATE SET value = organization_counters.value
       RETURNING name, value`,
      { org: params.org },
    );
    const base = Object.fromEntries(counters.rows.map((row: { name: string; value: number }) => [row.name, row.value]));
    const all = { ...params, inv_base: base.invoice ?? 0, cn_base: base.credit_note ?? 0, rct_base: base.receipt ?? 0 };
    for (const statement of [...splitStatements(PLAN_SQL), ...splitStatements(WRITE_SQL)]) {
      const t0 = performance.now();
      await run(client, statement, pick(statement, all));
      if (process.env.SEED_LARGE_TIMING) timings.set(statement.slice(0, 40), (timings.get(statement.slice(0, 40)) ?? 0) + performance.now() - t0);
    }
    await run(
      client,
      `UPDATE organization_counters c SET value = c.value + x.added
       FROM (SELECT 'invoice' AS name, count(number_value) AS added FROM s_plan
             UNION ALL SELECT 'credit_note', count(*) FROM s_cn
             UNION ALL SELECT 'receipt', count(receipt_value) FROM s_pay) x
       WHERE c.organization_id = :org::uuid AND c.name = x.name`,
      { org: params.org },
    );
    const t0 = performance.now();
    await client.query("COMMIT");
    if (process.env.SEED_LARGE_TIMING) timings.set("COMMIT", (timings.get("COMMIT") ?? 0) + performance.now() - t0);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

function splitStatements(text: string): string[] {
  return text
    .split(/;\s*\n/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/** Only the parameters a statement uses (pg refuses unused ones with a type it cannot infer). */
function pick(statement: string, params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`(?<![:\\w]):${name}(?![a-z0-9_])`).test(statement)));
}

/**
 * Seeds the clinics and their history into the database `client` is connected to (its owner or
 * the app's role; a local server; no large-seed clinic in it yet). Returns the clinics.
 */
export async function seedLarge(client: pg.Client, options: LargeSeedOptions): Promise<LargeSeedResult> {
  const started = performance.now();
  const months = options.months ?? 24;
  const now = options.now ?? new Date();
  const start = addMonths(now, -months);
  if (!Number.isInteger(options.invoices) || options.invoices < LARGE_ORGANIZATIONS.length * months)
    throw new Error(`seed:large: --invoices must be an integer of at least ${LARGE_ORGANIZATIONS.length * months}`);
  await client.query("SET synchronous_commit = off");
  await client.query("SET work_mem = '256MB'");
  await client.query("SELECT setseed($1)", [options.seed ?? 0.16]);
  await createLookups(client);
  const perOrganization = shares(options.invoices);
  const organizations: LargeSeedOrganizationResult[] = [];
  const created: { organizationId: string; adminId: string; patients: number }[] = [];
  for (const [orgIndex, organization] of LARGE_ORGANIZATIONS.entries()) {
    const { organizationId, adminId } = await createOrganization(client, organization);
    // About one patient per six visits over two years.
    const patients = Math.max(20, Math.round(perOrganization[orgIndex]! / 6));
    await createPatients(client, { organizationId, orgIndex, count: patients, start, organization });
    created.push({ organizationId, adminId, patients });
    organizations.push({
      organizationId,
      slug: organization.slug,
      name: organization.name,
      timezone: organization.timezone,
      invoices: perOrganization[orgIndex]!,
      patients,
    });
  }
  let done = 0;
  // Month by month, oldest first (as the history happened), every clinic's month in turn; months
  // are the clinic's calendar days, so invoice numbers follow finalization times across chunks.
  const counts = perOrganization.map((total) => monthlyCounts(total, months, now));
  for (let month = 0; month < months; month++) {
    for (const [orgIndex, organization] of LARGE_ORGANIZATIONS.entries()) {
      const n = counts[orgIndex]![month]!;
      if (n === 0) continue;
      const { organizationId, adminId, patients } = created[orgIndex]!;
      const today = todayIn(organization.timezone, now);
      const dayFrom = addMonthsIso(today, month - months);
      const dayTo = month === months - 1 ? addDays(today, 1) : addMonthsIso(today, month + 1 - months);
      await seedChunk(client, {
        org: organizationId,
        org_idx: orgIndex,
        admin: adminId,
        n,
        day_from: dayFrom,
        day_to: dayTo,
        now,
        tz: organization.timezone,
        tax: organization.taxRateMilliPercent,
        patients,
      });
      done += n;
      options.onProgress?.(done, options.invoices, `${organization.name}, ${dayFrom.slice(0, 7)}`);
    }
  }
  if (process.env.SEED_LARGE_TIMING) console.error([...timings].map(([k, v]) => `${v.toFixed(0).padStart(8)} ms  ${k.replace(/\s+/g, " ")}`).join("\n"));
  // What autovacuum does over a live database's months: statistics, the visibility map (index-only
  // scans), the journals' BRIN summaries. Without it every report reads the whole history's heap
  // (seen: 600 ms a report against 50 ms after; where autovacuum is off, as on these machines).
  await client.query("VACUUM (ANALYZE)");
  return { organizations, invoices: done, seconds: (performance.now() - started) / 1000 };
}
