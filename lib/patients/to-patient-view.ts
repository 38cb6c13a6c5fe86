import type { Patient } from "@/lib/db/generated/client";
import { PATIENT_SEXES, RELEASE_OF_INFORMATION_CODES, type PatientView } from "./patients.types";

export function toPatientView(patient: Patient): PatientView {
  return {
    id: patient.id,
    firstName: patient.firstName,
    lastName: patient.lastName,
    email: patient.email,
    phone: patient.phone,
    dateOfBirth: patient.dateOfBirth ? patient.dateOfBirth.toISOString().slice(0, 10) : null,
    externalId: patient.externalId,
    addressLine1: patient.addressLine1,
    addressLine2: patient.addressLine2,
    city: patient.city,
    region: patient.region,
    postalCode: patient.postalCode,
    country: patient.country,
    sex: PATIENT_SEXES.find((sex) => sex === patient.sex) ?? null,
    releaseOfInformation: RELEASE_OF_INFORMATION_CODES.find((code) => code === patient.releaseOfInformation) ?? null,
    archived: patient.archivedAt !== null,
    createdAt: patient.createdAt.toISOString(),
    updatedAt: patient.updatedAt.toISOString(),
  };
}
