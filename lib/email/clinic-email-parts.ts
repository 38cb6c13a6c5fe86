import { getEnv } from "@/lib/env";
import { contactLine, type ClinicContact } from "@/lib/organizations/clinic-contact";
import { escapeHtml } from "@/lib/utils/escape-html";

/** An absolute URL for a path of this app (emails are read outside it). */
function absoluteUrl(path: string): string {
  return `${getEnv().APP_URL.replace(/\/$/, "")}${path}`;
}

/** The clinic's logo above a patient email's text, or nothing without a logo. */
export function clinicEmailLogoHtml(contact: ClinicContact): string {
  if (!contact.logoPath) return "";
  return `<p><img src="${escapeHtml(absoluteUrl(contact.logoPath))}" alt="${escapeHtml(contact.name)}" height="48" style="height:48px;width:auto;max-width:200px"></p>`;
}

/** The signature of a patient email: the clinic's name, address and how to reach it (text lines and HTML). */
export function clinicEmailSignature(contact: ClinicContact): { text: string[]; html: string } {
  const reach = contactLine(contact);
  const text = [contact.name, ...contact.addressLines, ...(reach ? [reach] : [])];
  const links = [
    contact.phone
      ? contact.phone.href
        ? `<a href="${escapeHtml(contact.phone.href)}">${escapeHtml(contact.phone.display)}</a>`
        : escapeHtml(contact.phone.display)
      : null,
    contact.email ? `<a href="mailto:${escapeHtml(contact.email)}">${escapeHtml(contact.email)}</a>` : null,
    contact.website ? `<a href="${escapeHtml(contact.website.href)}">${escapeHtml(contact.website.display)}</a>` : null,
  ].filter(Boolean);
  const html = `<p style="color:#555">${[`<strong>${escapeHtml(contact.name)}</strong>`, ...contact.addressLines.map(escapeHtml), ...(links.length > 0 ? [links.join(" · ")] : [])].join("<br>")}</p>`;
  return { text, html };
}
