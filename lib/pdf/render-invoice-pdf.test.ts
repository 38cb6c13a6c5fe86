import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createInvoice } from "@/lib/invoices/create-invoice";
import { finalizeInvoice } from "@/lib/invoices/finalize-invoice";
import { voidInvoice } from "@/lib/invoices/void-invoice";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { extractPdfText } from "./extract-pdf-text";
import { renderInvoicePdf, renderInvoicePdfFile } from "./render-invoice-pdf";

const database = setupTestDatabase();
const actor = testActor();

const lines = [
  { description: "Office visit, established patient", serviceCode: "99213", quantity: 1, unitAmount: 15000 },
  { description: "Flu vaccine", serviceCode: "90686", quantity: 2, unitAmount: 2599 },
  { description: "Medical records copy", quantity: 1, unitAmount: 1000, taxExempt: true },
];

async function setupClinic(options: { currency?: string } = {}) {
  const org = await createTestOrganization(database.db);
  await database.db.organization.update({
    where: { id: org.organizationId },
    data: {
      name: "Riverside Family Medicine",
      addressLine1: "42 Elm Street",
      city: "Portland",
      region: "OR",
      postalCode: "97205",
      currency: options.currency ?? "USD",
    },
  });
  const patient = await createTestPatient(database.db, {
    organizationId: org.organizationId,
    firstName: "Jordan",
    lastName: "Alvarez-Núñez",
    externalId: "MRN-1042",
  });
  return { organizationId: org.organizationId, patient };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof AppError ? error.code : String(error)),
  );

describe("invoice PDF", () => {
  it("shows the clinic, the patient, every line and the exact totals of a finalized invoice", async () => {
    const { organizationId, patient } = await setupClinic();
    const draft = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, terms: "net_30", taxRate: 8.25, discount: { percent: 10 }, memo: "Thank you for visiting us.", lines },
    });
    const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor, now: new Date("2026-03-01T18:00:00Z") });

    const { filename, pdf } = await renderInvoicePdfFile(database.db, { organizationId, invoiceId: invoice.id });
    expect(filename).toBe("INV-00001.pdf");
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const text = extractPdfText(pdf);

    expect(text).toMatch(/INVOICE NUMBER\s+ISSUE DATE\s+DUE DATE/);
    expect(text).toMatch(/Jordan Alvarez-Núñez\s+INV-00001\s+Mar 1, 2026\s+Mar 31, 2026/);
    expect(text).toContain("Riverside Family Medicine");
    expect(text).toContain("42 Elm Street");
    expect(text).toContain("Patient ID MRN-1042");
    expect(text).toMatch(/Office visit, established patient\s+99213\s+1\s+\$150\.00\s+\$150\.00/);
    expect(text).toMatch(/Flu vaccine\s+90686\s+2\s+\$25\.99\s+\$51\.98/);
    expect(text).toMatch(/Medical records copy\s+1\s+\$10\.00\s+\$10\.00/);
    expect(text).toContain("Not taxed");
    // subtotal 21198, discount 2120, tax 1500, total 20578 (see lib/invoices/invoices.test.ts).
    expect(text).toMatch(/Subtotal\s+\$211\.98/);
    expect(text).toMatch(/Discount \(10%\)\s+-\$21\.20/);
    expect(text).toMatch(/Tax \(8\.25%\)\s+\$15\.00/);
    expect(text).toMatch(/Total\s+\$205\.78/);
    expect(text).toMatch(/Paid\s+\$0\.00/);
    expect(text).toMatch(/Balance due\s+\$205\.78/);
    expect(text).toContain("Thank you for visiting us.");
    expect(extractPdfText(pdf, "raw")).not.toMatch(/^(DRAFT|VOID)$/m);
  });

  it("formats zero-decimal currencies without decimals", async () => {
    const { organizationId, patient } = await setupClinic({ currency: "JPY" });
    const draft = await createInvoice(database.db, {
      organizationId,
      actor,
      input: { patientId: patient.id, taxRate: 10, lines: [{ description: "Consultation", quantity: 1, unitAmount: 5555 }] },
    });
    const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    const text = extractPdfText(await renderInvoicePdf(database.db, { organizationId, invoiceId: invoice.id }));

    expect(text).toMatch(/Consultation\s+1\s+¥5,555\s+¥5,555/);
    expect(text).toMatch(/Subtotal\s+¥5,555/);
    expect(text).toMatch(/Tax \(10%\)\s+¥556/);
    expect(text).toMatch(/Balance due\s+¥6,111/);
    expect(text).not.toMatch(/¥[\d,]*\.\d/);
  });

  it("watermarks drafts and void invoices", async () => {
    const { organizationId, patient } = await setupClinic();
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, terms: "net_15", lines } });
    const draftFile = await renderInvoicePdfFile(database.db, { organizationId, invoiceId: draft.id });
    expect(draftFile.filename).toBe(`draft-${draft.id.slice(0, 8)}.pdf`);
    expect(extractPdfText(draftFile.pdf, "raw")).toMatch(/^DRAFT$/m);
    const draftText = extractPdfText(draftFile.pdf);
    expect(draftText).toMatch(/Draft invoice\s+Not yet issued\s+Net 15/);
    expect(draftText).toMatch(/Balance due\s+\$211\.98/);

    await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    await voidInvoice(database.db, { organizationId, invoiceId: draft.id, actor, input: { reason: "Duplicate" } });
    const voidPdf = await renderInvoicePdf(database.db, { organizationId, invoiceId: draft.id });
    expect(extractPdfText(voidPdf, "raw")).toMatch(/^VOID$/m);
    expect(extractPdfText(voidPdf)).toMatch(/Balance due\s+\$0\.00/);
  });

  it("prints the pay link with a QR code that a phone camera reads as the link", async () => {
    const { organizationId, patient } = await setupClinic();
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines } });
    const invoice = await finalizeInvoice(database.db, { organizationId, invoiceId: draft.id, actor });
    // As long as a real signed pay-link token: it must wrap onto several lines, not run off the page.
    const url = `http://localhost:3000/pay/${"eyJ2IjoxLCJsIjoiNjQ".repeat(12)}.${"a1B2c3_-".repeat(5)}`;

    const withLink = await renderInvoicePdf(database.db, { organizationId, invoiceId: invoice.id, payLink: { url } });
    const text = extractPdfText(withLink);
    expect(text).toContain("Pay online");
    expect(text.replace(/\s+/g, "")).toContain(url);
    // Vector squares, not an embedded image; scanned from the printed page (150 dpi).
    expect(countImages(withLink)).toBe(0);
    expect(readQrCodes(withLink)).toEqual([url]);

    const withoutLink = await renderInvoicePdf(database.db, { organizationId, invoiceId: invoice.id });
    expect(extractPdfText(withoutLink)).not.toContain("Pay online");
    expect(readQrCodes(withoutLink)).toEqual([]);
  });

  it("treats another organization's invoice as not found", async () => {
    const { organizationId, patient } = await setupClinic();
    const other = await setupClinic();
    const draft = await createInvoice(database.db, { organizationId, actor, input: { patientId: patient.id, lines } });
    expect(await codeOf(renderInvoicePdf(database.db, { organizationId: other.organizationId, invoiceId: draft.id }))).toBe("NOT_FOUND");
  });
});

/** Images on the PDF's pages, per poppler's `pdfimages -list` (two header lines, then one per image or soft mask). */
function countImages(pdf: Buffer): number {
  const directory = mkdtempSync(join(tmpdir(), "carebill-pdf-"));
  try {
    const file = join(directory, "invoice.pdf");
    writeFileSync(file, pdf);
    const result = spawnSync("pdfimages", ["-list", file], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`pdfimages failed: ${result.stderr}`);
    return result.stdout
      .trim()
      .split("\n")
      .slice(2)
      .filter((line) => line.trim().split(/\s+/)[2] === "image").length;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The QR codes a scanner finds on the PDF's first page, rendered in grey at 150 dpi by poppler's `pdftoppm`. */
function readQrCodes(pdf: Buffer): string[] {
  const directory = mkdtempSync(join(tmpdir(), "carebill-pdf-"));
  try {
    const file = join(directory, "invoice.pdf");
    writeFileSync(file, pdf);
    const result = spawnSync("pdftoppm", ["-gray", "-r", "150", "-f", "1", "-l", "1", "-singlefile", file, join(directory, "page")], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`pdftoppm failed: ${result.stderr}`);
    // Binary PGM: "P5\n<width> <height>\n<maxval>\n" then one byte per pixel.
    const image = readFileSync(join(directory, "page.pgm"));
    const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(image.subarray(0, 64).toString("latin1"));
    if (!header) throw new Error("pdftoppm did not write a binary PGM");
    const [width, height] = [Number(header[1]), Number(header[2])];
    const pixels = image.subarray(header[0].length);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let index = 0; index < width * height; index++) {
      rgba.set([pixels[index]!, pixels[index]!, pixels[index]!, 255], index * 4);
    }
    const code = jsQR(rgba, width, height);
    return code ? [code.data] : [];
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
