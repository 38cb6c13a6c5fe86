import { createHash } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors";

/** The largest logo accepted: enough for a sharp letterhead logo, small enough for every email and PDF. */
export const MAX_LOGO_BYTES = 512 * 1024;

/**
 * PNG and JPEG only: every PDF renderer and email client shows them. SVG is refused (it can carry
 * script), and so is WebP (the PDF renderer and several email clients cannot draw it).
 */
export type LogoContentType = "image/png" | "image/jpeg";

const LOGO_FIELD = "logo";
const refuse = (message: string) => new AppError("VALIDATION_FAILED", message, { fields: { [LOGO_FIELD]: [message] } });

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

/** The image type found in the file's first bytes (its "magic bytes"), whatever name or MIME type it came with. */
export function sniffImageType(bytes: Uint8Array): LogoContentType | "image/webp" | "image/gif" | "image/svg+xml" | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return "image/webp";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return "image/gif";
  const head = new TextDecoder("utf-8", { fatal: false })
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/, "")
    .trimStart()
    .toLowerCase();
  if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.includes("<svg")) || (head.startsWith("<!doctype svg") && head.includes("<svg")))
    return "image/svg+xml";
  return null;
}

/**
 * Checks an uploaded logo: not empty, at most MAX_LOGO_BYTES, a PNG or JPEG by its bytes (not by
 * the type the browser declared, which the uploader controls), and the declared type, when given,
 * not contradicting the bytes. Returns the content type to serve it with.
 */
export function validateLogo(bytes: Uint8Array, declaredType?: string | null): LogoContentType {
  if (bytes.length === 0) throw refuse("Choose an image file.");
  if (bytes.length > MAX_LOGO_BYTES) throw refuse(`The logo is ${Math.ceil(bytes.length / 1024)} KB; use an image of at most ${MAX_LOGO_BYTES / 1024} KB.`);
  const found = sniffImageType(bytes);
  if (found === "image/svg+xml") throw refuse("SVG logos are not accepted (they can carry scripts). Upload a PNG or JPEG.");
  if (found === "image/webp" || found === "image/gif")
    throw refuse(`${found === "image/webp" ? "WebP" : "GIF"} logos are not accepted: PDFs and some email apps cannot show them. Upload a PNG or JPEG.`);
  if (found === null) throw refuse("This file is not a PNG or JPEG image.");
  const declared = declaredType?.toLowerCase().replace("image/jpg", "image/jpeg");
  if (declared && declared !== "application/octet-stream" && declared !== found)
    throw refuse("The file's contents do not match its type. Upload a PNG or JPEG.");
  return found;
}

/** The logo's URL path; `v` (its hash) changes with the logo, so the response may be cached for good. */
export function organizationLogoPath(organizationId: string, sha256: string): string {
  return `/api/organizations/${organizationId}/logo?v=${sha256.slice(0, 16)}`;
}

/** Stores (or replaces) the organization's logo after validateLogo; audited. Returns its URL path. */
export async function setOrganizationLogo(
  db: Db,
  options: { organizationId: string; actor: AuditActor; bytes: Uint8Array; declaredType?: string | null },
): Promise<{ path: string }> {
  const contentType = validateLogo(options.bytes, options.declaredType);
  const sha256 = createHash("sha256").update(options.bytes).digest("hex");
  const data = new Uint8Array(options.bytes);
  await db.$transaction(async (tx) => {
    await tx.organizationLogo.upsert({
      where: { organizationId: options.organizationId },
      create: { organizationId: options.organizationId, contentType, data, sha256 },
      update: { contentType, data, sha256, updatedAt: new Date() },
    });
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "organization.logo_changed",
      target: { type: "organization", id: options.organizationId },
      after: { contentType, bytes: options.bytes.length, sha256 },
    });
  });
  return { path: organizationLogoPath(options.organizationId, sha256) };
}

/** Removes the organization's logo (nothing happens when it has none); audited. */
export async function removeOrganizationLogo(db: Db, options: { organizationId: string; actor: AuditActor }): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.organizationLogo.deleteMany({ where: { organizationId: options.organizationId } });
    if (count === 0) return;
    await recordAuditEvent(tx, {
      organizationId: options.organizationId,
      actor: options.actor,
      action: "organization.logo_removed",
      target: { type: "organization", id: options.organizationId },
    });
  });
}

/** The stored logo, for the logo route and PDFs; null when the organization has none. */
export async function getOrganizationLogo(db: Db | Tx, organizationId: string) {
  return db.organizationLogo.findUnique({ where: { organizationId } });
}
