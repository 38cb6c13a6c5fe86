import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createTestOrganization, createTestPatient, testActor } from "@/tests/factories";
import { setupTestDatabase } from "@/tests/test-database";
import { createPatient } from "./create-patient";
import { listPatients } from "./list-patients";
import { setPatientArchived } from "./set-patient-archived";
import { updatePatient } from "./update-patient";

const database = setupTestDatabase();

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "OK",
    (error: unknown) => (error instanceof AppError ? error.code : (error as Error).name),
  );

describe("patients", () => {
  it("creates a patient with normalized fields and audits it without PHI", async () => {
    const org = await createTestOrganization(database.db);
    const patient = await createPatient(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: {
        firstName: " Maria ",
        lastName: "Lopez",
        email: "Maria.Lopez@Example.COM",
        phone: "(503) 555-0100",
        dateOfBirth: "1984-02-29",
        externalId: "MRN-1001",
      },
    });
    expect(patient).toMatchObject({ firstName: "Maria", email: "maria.lopez@example.com", dateOfBirth: "1984-02-29", externalId: "MRN-1001", archived: false });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { targetId: patient.id } });
    expect(audit.action).toBe("patient.created");
    expect(JSON.stringify(audit)).not.toContain("Lopez");
  });

  it("rejects bad input with a message per field", async () => {
    const org = await createTestOrganization(database.db);
    const error = await createPatient(database.db, {
      organizationId: org.organizationId,
      actor: org.adminActor,
      input: { firstName: "", lastName: "X", email: "not-an-email", phone: "call me", dateOfBirth: "2023-02-30" },
    }).then(
      () => null,
      (caught: { issues: { path: string[]; message: string }[] }) => caught,
    );
    expect(error?.issues.map((issue) => issue.path.join(".")).sort()).toEqual(["dateOfBirth", "email", "firstName", "phone"]);
  });

  it("keeps external ids (MRN) unique per organization, with a 409", async () => {
    const first = await createTestOrganization(database.db);
    const second = await createTestOrganization(database.db);
    await createTestPatient(database.db, { organizationId: first.organizationId, externalId: "MRN-7" });
    expect(await codeOf(createTestPatient(database.db, { organizationId: first.organizationId, externalId: "MRN-7" }))).toBe("CONFLICT");
    expect(await codeOf(createTestPatient(database.db, { organizationId: second.organizationId, externalId: "MRN-7" }))).toBe("OK");
  });

  it("searches by name, email, phone and MRN, paginates, and hides archived patients", async () => {
    const org = await createTestOrganization(database.db);
    const actor = testActor();
    const ana = await createPatient(database.db, {
      organizationId: org.organizationId,
      actor,
      input: { firstName: "Ana", lastName: "Silva", email: "ana@x.test", phone: "503-555-0199", externalId: "E-42" },
    });
    for (let index = 0; index < 5; index++) await createTestPatient(database.db, { organizationId: org.organizationId, lastName: `Other${index}` });
    const search = async (query: string) =>
      (await listPatients(database.db, { organizationId: org.organizationId, input: { query } })).data.map((patient) => patient.id);
    expect(await search("silva")).toEqual([ana.id]);
    expect(await search("ana silva")).toEqual([ana.id]);
    expect(await search("ANA@X")).toEqual([ana.id]);
    expect(await search("555-0199")).toEqual([ana.id]);
    expect(await search("e-42")).toEqual([ana.id]);

    const pageOne = await listPatients(database.db, { organizationId: org.organizationId, input: { limit: 4 } });
    const pageTwo = await listPatients(database.db, { organizationId: org.organizationId, input: { limit: 4, cursor: pageOne.nextCursor! } });
    expect(pageOne.data).toHaveLength(4);
    expect(pageTwo.data).toHaveLength(2);
    expect(pageTwo.nextCursor).toBeNull();
    expect(new Set([...pageOne.data, ...pageTwo.data].map((patient) => patient.id)).size).toBe(6);

    await setPatientArchived(database.db, { organizationId: org.organizationId, patientId: ana.id, archived: true, actor });
    expect(await search("silva")).toEqual([]);
    const withArchived = await listPatients(database.db, { organizationId: org.organizationId, input: { query: "silva", includeArchived: true } });
    expect(withArchived.data.map((patient) => [patient.id, patient.archived])).toEqual([[ana.id, true]]);
  });

  it("updates only what is given; another organization's patient is a 404", async () => {
    const mine = await createTestOrganization(database.db);
    const theirs = await createTestOrganization(database.db);
    const patient = await createTestPatient(database.db, { organizationId: mine.organizationId, email: "old@x.test" });
    const updated = await updatePatient(database.db, {
      organizationId: mine.organizationId,
      patientId: patient.id,
      actor: mine.adminActor,
      input: { email: "new@x.test" },
    });
    expect(updated).toMatchObject({ email: "new@x.test", firstName: patient.firstName, lastName: patient.lastName });
    const audit = await database.db.auditEvent.findFirstOrThrow({ where: { targetId: patient.id, action: "patient.updated" } });
    expect(audit.after).toEqual({ changedFields: ["email"] });
    expect(
      await codeOf(
        updatePatient(database.db, {
          organizationId: theirs.organizationId,
          patientId: patient.id,
          actor: theirs.adminActor,
          input: { email: "hijack@x.test" },
        }),
      ),
    ).toBe("NOT_FOUND");
    expect(
      await codeOf(setPatientArchived(database.db, { organizationId: theirs.organizationId, patientId: patient.id, archived: true, actor: theirs.adminActor })),
    ).toBe("NOT_FOUND");
  });
});
