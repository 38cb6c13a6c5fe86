import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { ZCreateApiKeyInput } from "@/lib/api-keys/create-api-key";
import { ZListAuditEventsInput } from "@/lib/audit/list-audit-events";
import { ZIssueCreditNoteInput } from "@/lib/credit-notes/credit-notes.types";
import { ZRecordDisputeEvidenceInput } from "@/lib/disputes/disputes.types";
import { ZListInvoicesInput, ZUpdateInvoiceInput } from "@/lib/invoices/invoices.types";
import { ZReasonInput } from "@/lib/invoices/void-invoice";
import { ZLedgerExportInput } from "@/lib/ledger/export-journals";
import { ZInviteMemberInput } from "@/lib/organizations/members.types";
import { ZUpdateOrganizationInput } from "@/lib/organizations/update-organization";
import { ZListPatientsInput, ZPatientFields } from "@/lib/patients/patients.types";
import { ZListPaymentsInput } from "@/lib/payments/list-payments";
import { ZRecordManualPaymentInput, ZVoidManualPaymentInput } from "@/lib/payments/manual-payments.types";
import { ZRequestRefundInput } from "@/lib/refunds/refunds.types";
import { isCalendarDate } from "./fields";

const patientId = "1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b";

/** Each schema that takes a calendar date, with a valid input to put the date into. */
const DATE_FIELDS: [string, z.ZodType, Record<string, unknown>, string][] = [
  ["ledger export", ZLedgerExportInput, {}, "from"],
  ["audit log filter", ZListAuditEventsInput, {}, "to"],
  ["payments filter", ZListPaymentsInput, {}, "from"],
  ["dispute evidence", ZRecordDisputeEvidenceInput, { note: "Sent the signed consent form" }, "submittedOn"],
  ["manual payment", ZRecordManualPaymentInput, { patientId, method: "cash", amount: 100 }, "receivedOn"],
  ["invoice due date", ZUpdateInvoiceInput, {}, "dueDate"],
  ["date of birth", ZPatientFields, { firstName: "Jane", lastName: "Doe" }, "dateOfBirth"],
];

/** Each schema whose free text is stored, with a valid input and the text field to spoil. */
const TEXT_FIELDS: [string, z.ZodType, Record<string, unknown>, string][] = [
  ["patient last name", ZPatientFields, { firstName: "Jane", lastName: "Doe" }, "lastName"],
  ["patient search", ZListPatientsInput, {}, "query"],
  ["invoice memo", ZUpdateInvoiceInput, {}, "memo"],
  ["invoice number filter", ZListInvoicesInput, {}, "number"],
  ["void reason", ZReasonInput, { reason: "Entered twice" }, "reason"],
  ["credit note reason", ZIssueCreditNoteInput, { amount: 100, reason: "Goodwill" }, "reason"],
  ["refund note", ZRequestRefundInput, {}, "note"],
  ["dispute note", ZRecordDisputeEvidenceInput, { note: "Sent it" }, "note"],
  ["payment reference", ZRecordManualPaymentInput, { patientId, method: "check", amount: 100, reference: "1001" }, "reference"],
  ["payment void reason", ZVoidManualPaymentInput, { reason: "Typed the wrong amount" }, "reason"],
  ["member name", ZInviteMemberInput, { name: "Ada", email: "ada@example.test", role: "viewer" }, "name"],
  ["clinic address", ZUpdateOrganizationInput, { name: "Clinic", country: "US", currency: "USD", timezone: "UTC" }, "addressLine1"],
  ["API key name", ZCreateApiKeyInput, { name: "EHR" }, "name"],
  ["audit actor filter", ZListAuditEventsInput, {}, "actor"],
];

const messagesFor = (schema: z.ZodType, input: unknown, field: string) =>
  (schema.safeParse(input).error?.issues ?? []).filter((issue) => issue.path[0] === field).map((issue) => issue.message);

describe("shared field schemas", () => {
  it("knows which YYYY-MM-DD strings are days on the calendar", () => {
    expect(["2026-02-28", "2024-02-29", "2000-02-29", "2026-12-31"].every(isCalendarDate)).toBe(true);
    expect(["2026-02-30", "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "20260101"].some(isCalendarDate)).toBe(false);
  });

  for (const [name, schema, valid, field] of DATE_FIELDS) {
    it(`${name}: refuses 2026-02-30 and 2026-13-01, accepts a real date`, () => {
      expect(messagesFor(schema, { ...valid, [field]: "2026-02-30" }, field)).toEqual(["That date does not exist."]);
      expect(messagesFor(schema, { ...valid, [field]: "2026-13-01" }, field)).toEqual(["That date does not exist."]);
      expect(messagesFor(schema, { ...valid, [field]: "March 1st" }, field)).toEqual(["Use a date like 2026-03-01."]);
      expect(schema.safeParse({ ...valid, [field]: "2024-02-29" }).success).toBe(true);
    });
  }

  for (const [name, schema, valid, field] of TEXT_FIELDS) {
    it(`${name}: refuses NUL, escape and DEL characters`, () => {
      expect(schema.safeParse({ ...valid, [field]: "Fine text" }).success).toBe(true);
      for (const bad of ["a\u0000b", "a\u001bb", "a\u007fb"]) {
        expect(messagesFor(schema, { ...valid, [field]: bad }, field), JSON.stringify(bad)).toEqual([expect.stringMatching(/^Remove the control characters/)]);
      }
    });
  }
});
