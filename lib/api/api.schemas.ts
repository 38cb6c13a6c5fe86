import { z } from "zod";
import { INVOICE_STATUSES } from "@/lib/invoices/invoices.types";
import { ZPatientFields } from "@/lib/patients/patients.types";

const ZLimit = z.coerce.number().int().min(1, "At least 1.").max(100, "At most 100.").default(25);
const ZCursor = z.string().uuid("Use the nextCursor of the previous page.").optional();
const ZBooleanParam = z.enum(["true", "false"]).transform((value) => value === "true");

export const ZListPatientsQuery = z.object({
  q: z.string().max(100).optional().describe("Search name, email, phone or external id (MRN)"),
  includeArchived: ZBooleanParam.optional(),
  cursor: ZCursor,
  limit: ZLimit,
});

export const ZListInvoicesQuery = z.object({
  status: z.enum([...INVOICE_STATUSES, "overdue"]).optional(),
  patientId: z.string().uuid().optional(),
  createdFrom: z.string().datetime({ offset: true, message: "Use an ISO 8601 timestamp." }).optional(),
  createdTo: z.string().datetime({ offset: true, message: "Use an ISO 8601 timestamp." }).optional(),
  number: z.string().max(20).optional(),
  cursor: ZCursor,
  limit: ZLimit,
});

/** PATCH /patients/{id}: any patient field, and `archived` to archive or restore. */
export const ZPatchPatientBody = ZPatientFields.partial().extend({ archived: z.boolean().optional() }).strict();

export const ZVoidInvoiceBody = z.object({ reason: z.string().trim().min(3, "Give a reason (at least 3 characters).").max(500) });

export const ZErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
    requestId: z.string().optional(),
  }),
});
