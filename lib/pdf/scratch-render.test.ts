import { writeFileSync } from "node:fs";
import { it } from "vitest";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { renderInvoicePdf } from "@/lib/pdf/render-invoice-pdf";

const database = setupTestDatabase();
const actor = testActor();
it("renders samples", async () => {
  const org = await createTestOrganization(database.db);
  await database.db.organization.update({ where: { id: org.organizationId }, data: { name: "Sunrise Family Clinic", addressLine1: "1200 Sunrise Avenue, Suite 300", city: "Portland", region: "OR", postalCode: "97205" } });
  const patient = await createTestPatient(database.db, { organizationId: org.organizationId, firstName: "Jordan", lastName: "Alvarez-Núñez", externalId: "MRN-1042" });
  const lines = [
    { description: "Office visit, established patient, moderate complexity", serviceCode: "99214", quantity: 1, unitAmount: 18500 },
    { description: "Influenza vaccine, quadrivalent", serviceCode: "90686", quantity: 2, unitAmount: 2599 },
    { description: "Vaccine administration", serviceCode: "90471", quantity: 2, unitAmount: 1500 },
    { description: "Comprehensive metabolic panel", serviceCode: "80053", quantity: 1, unitAmount: 4200 },
    { description: "Medical records copy", quantity: 1, unitAmount: 1000, taxExempt: true },
  ];
  const draft = await createInvoice(database.db, { organizationId: org.organizationId, actor, input: { patientId: patient.id, terms: "net_30", taxRate: 8.25, discount: { percent: 10 }, memo: "Thank you for choosing Sunrise Family Clinic. Payment is due within 30 days. Questions about this bill? Call (503) 555-0142.", lines } });
  writeFileSync(".scratch/draft.pdf", await renderInvoicePdf(database.db, { organizationId: org.organizationId, invoiceId: draft.id }));
  await finalizeInvoice(database.db, { organizationId: org.organizationId, invoiceId: draft.id, actor });
  writeFileSync(".scratch/open.pdf", await renderInvoicePdf(database.db, { organizationId: org.organizationId, invoiceId: draft.id, payLink: { url: "http://localhost:3000/pay/pl_3f9a8c2e7b1d4e6f" } }));
  const many = await createInvoice(database.db, { organizationId: org.organizationId, actor, input: { patientId: patient.id, lines: Array.from({ length: 40 }, (_, i) => ({ description: `Physical therapy session ${i + 1}`, serviceCode: "97110", quantity: 1, unitAmount: 9500 })) } });
  writeFileSync(".scratch/many.pdf", await renderInvoicePdf(database.db, { organizationId: org.organizationId, invoiceId: many.id }));
  const t = [];
  for (let i = 0; i < 60; i++) { const s = performance.now(); await renderInvoicePdf(database.db, { organizationId: org.organizationId, invoiceId: draft.id }); t.push(performance.now() - s); }
  const w = t.slice(10).sort((a, b) => a - b);
  console.log("p50", w[25].toFixed(1), "p95", w[47].toFixed(1), "max", w[49].toFixed(1));
});
