import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { actionSessions } from "@/tests/action-sessions";
import { setupTestDatabase } from "@/tests/test-database";

/**
 * The settings actions through the real session check (lib/auth/session.ts → loadSession → the
 * membership's role in the database): only next-auth's cookie reading and Next's request scope
 * are stood in for.
 */
const claims = vi.hoisted(() => ({ current: null as { userId: string; sessionId: string } | null }));
vi.mock("next-auth", () => ({ getServerSession: async () => claims.current }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-request-id": "settings-test" }) }));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => undefined }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/lib/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/db/client")>()),
  getDb: async () => database.db,
}));

const { updateOrganizationAction } = await import("./update-organization");
const { uploadOrganizationLogoAction } = await import("./upload-organization-logo");
const { removeOrganizationLogoAction } = await import("./remove-organization-logo");
const { GET: getLogo } = await import("@/app/api/organizations/[id]/logo/route");

const database = setupTestDatabase();

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

const { clinicWith } = actionSessions(database, claims);

const details = {
  name: "Sunrise Family Clinic",
  country: "US",
  currency: "USD",
  timezone: "America/Los_Angeles",
  phone: "503 555 0142",
  email: "Billing@Sunrise.Example",
  website: "sunrise.example",
};

beforeEach(() => {
  claims.current = null;
});

describe("organization settings: only admins change them", () => {
  it("an admin saves the clinic's contact details, normalized (E.164 phone, lower-case email, https website)", async () => {
    const org = await clinicWith("admin");
    const result = await updateOrganizationAction(details);
    expect(result).toEqual({ ok: true, data: undefined });
    const saved = await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId } });
    expect(saved).toMatchObject({ phone: "+15035550142", email: "billing@sunrise.example", website: "https://sunrise.example" });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { organizationId: org.organizationId, action: "organization.updated" } });
    expect(audit.after).toMatchObject({ phone: "+15035550142" });
  });

  it("answers bad contact details with a message per field", async () => {
    await clinicWith("admin");
    const result = await updateOrganizationAction({ ...details, phone: "555-0100", email: "not-an-email", website: "http://sunrise.example" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("VALIDATION_FAILED");
    expect(Object.keys(result.error.fields ?? {}).sort()).toEqual(["email", "phone", "website"]);
  });

  for (const role of ["billing", "viewer"] as const) {
    it(`refuses ${role} staff: settings and the logo stay as they were`, async () => {
      const org = await clinicWith(role);
      const update = await updateOrganizationAction({ ...details, name: "Taken over" });
      expect(update).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      const upload = await uploadOrganizationLogoAction({ dataBase64: PNG.toString("base64"), contentType: "image/png" });
      expect(upload).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      const remove = await removeOrganizationLogoAction({});
      expect(remove).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      const organization = await database.db.organization.findUniqueOrThrow({ where: { id: org.organizationId }, include: { logo: true } });
      expect(organization.name).toBe(`Clinic ${org.slug}`);
      expect(organization.logo).toBeNull();
    });
  }

  it("refuses a signed-out caller", async () => {
    expect(await updateOrganizationAction(details)).toMatchObject({ ok: false, error: { code: "UNAUTHORIZED" } });
  });
});

describe("the clinic's logo", () => {
  it("is uploaded by an admin, served with its type, cache headers and nosniff, and removed", async () => {
    const org = await clinicWith("admin");
    const uploaded = await uploadOrganizationLogoAction({ dataBase64: PNG.toString("base64"), contentType: "image/png" });
    expect(uploaded.ok).toBe(true);
    if (!uploaded.ok) return;
    expect(uploaded.data.path).toMatch(new RegExp(`^/api/organizations/${org.organizationId}/logo\\?v=[0-9a-f]{16}$`));

    const get = (path: string, headers: Record<string, string> = {}) =>
      getLogo(new NextRequest(`http://localhost${path}`, { headers }), { params: Promise.resolve({ id: org.organizationId }) });
    const versioned = await get(uploaded.data.path);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get("content-type")).toBe("image/png");
    expect(versioned.headers.get("x-content-type-options")).toBe("nosniff");
    expect(versioned.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.from(await versioned.arrayBuffer()).equals(PNG)).toBe(true);

    const plain = await get(`/api/organizations/${org.organizationId}/logo`);
    expect(plain.headers.get("cache-control")).toBe("public, max-age=300, must-revalidate");
    const etag = plain.headers.get("etag")!;
    expect((await get(`/api/organizations/${org.organizationId}/logo`, { "if-none-match": etag })).status).toBe(304);

    expect(await removeOrganizationLogoAction({})).toEqual({ ok: true, data: undefined });
    expect((await get(uploaded.data.path)).status).toBe(404);
    const actions = await database.db.auditEvent.findMany({ where: { organizationId: org.organizationId, action: { startsWith: "organization.logo" } } });
    expect(actions.map((event) => event.action).sort()).toEqual(["organization.logo_changed", "organization.logo_removed"]);
  });

  it("refuses an SVG, a renamed file and a file over 512 KB, with a message for the form", async () => {
    const org = await clinicWith("admin");
    const svg = await uploadOrganizationLogoAction({
      dataBase64: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>').toString("base64"),
      contentType: "image/png",
    });
    expect(svg).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { logo: [expect.stringContaining("SVG")] } } });
    const renamed = await uploadOrganizationLogoAction({ dataBase64: Buffer.from("GIF89a not really a png").toString("base64"), contentType: "image/png" });
    expect(renamed).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
    const huge = Buffer.concat([PNG, Buffer.alloc(512 * 1024)]);
    expect(await uploadOrganizationLogoAction({ dataBase64: huge.toString("base64"), contentType: "image/png" })).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_FAILED" },
    });
    expect(await database.db.organizationLogo.count({ where: { organizationId: org.organizationId } })).toBe(0);
  });
});
