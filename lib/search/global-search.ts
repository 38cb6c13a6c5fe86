import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { formatDay } from "@/lib/dates/format-date";
import { formatPhone } from "@/lib/validation/phone";
import { DISPLAY_REFUNDS, paymentDisplayOf } from "@/lib/payments/payment-display-state";
import { hitRateLimit } from "@/lib/rate-limit/rate-limit";
import { GLOBAL_SEARCH_GROUP_LIMIT, ZGlobalSearchInput, type GlobalSearchResults, type TGlobalSearchInput } from "./global-search.types";
import { readSearchText } from "./search-text";
import { invoiceSearchWhere, patientSearchWhere, paymentSearchWhere } from "./search-where";

/** Searches as someone types, debounced: a person stays well under this; a script does not. */
const LIMIT = { perUser: 120, windowSeconds: 60 };

const fullName = (patient: { firstName: string; lastName: string }) => `${patient.firstName} ${patient.lastName}`;

/**
 * The header's search: patients, invoices and payments of this organization matching the text
 * (name, email, phone, MRN, invoice number, payment amount), at most GLOBAL_SEARCH_GROUP_LIMIT of
 * each, newest first. Rate-limited per user (429 past the limit), counters shared by every instance.
 */
export async function searchEverything(
  db: Db,
  options: { organization: { id: string; currency: string; timezone: string; country: string }; userId: string; input: TGlobalSearchInput },
): Promise<GlobalSearchResults> {
  const input = ZGlobalSearchInput.parse(options.input);
  const rate = await hitRateLimit(db, { key: `search:user:${options.userId}`, windowSeconds: LIMIT.windowSeconds });
  if (rate.count > LIMIT.perUser) throw new AppError("RATE_LIMITED", `Too many searches. Please wait ${rate.retryAfterSeconds} seconds and try again.`);
  const { organization } = options;
  const search = readSearchText(input.query, organization.currency);
  if (!search) return { patients: [], invoices: [], payments: [] };
  const organizationId = organization.id;
  const take = GLOBAL_SEARCH_GROUP_LIMIT;
  const [patients, invoices, payments] = await Promise.all([
    db.patient.findMany({
      where: { organizationId, ...patientSearchWhere(search) },
      orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { lastName: "asc" }, { firstName: "asc" }, { id: "asc" }],
      take,
    }),
    db.invoice.findMany({
      where: { organizationId, ...invoiceSearchWhere(search) },
      include: { patient: { select: { firstName: true, lastName: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    }),
    db.payment.findMany({
      where: { organizationId, ...paymentSearchWhere(search) },
      include: { invoice: { select: { number: true } }, patient: { select: { firstName: true, lastName: true } }, refunds: DISPLAY_REFUNDS },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take,
    }),
  ]);
  return {
    patients: patients.map((patient) => ({
      id: patient.id,
      name: fullName(patient),
      externalId: patient.externalId,
      email: patient.email,
      phone: patient.phone && formatPhone(patient.phone, organization.country),
      archived: patient.archivedAt !== null,
    })),
    invoices: invoices.map((invoice) => ({
      id: invoice.id,
      number: invoice.number,
      status: invoice.status,
      patientName: fullName(invoice.patient),
      currency: invoice.currency,
      total: invoice.total,
      amountDue: invoice.amountDue,
    })),
    payments: payments.map((payment) => ({
      id: payment.id,
      display: paymentDisplayOf(payment),
      methodType: payment.methodType,
      cardBrand: payment.cardBrand,
      cardLast4: payment.cardLast4,
      currency: payment.currency,
      amount: payment.status === "succeeded" ? payment.amountReceived : payment.amount,
      createdAt: payment.createdAt.toISOString(),
      createdOn: formatDay(payment.createdAt, { timeZone: organization.timezone }),
      patientName: payment.patient && fullName(payment.patient),
      invoiceNumber: payment.invoice?.number ?? null,
    })),
  };
}
