import type { Metadata } from "next";
import Link from "next/link";
import { BadgeCheck, ChevronLeft } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { hasRole } from "@/lib/auth/roles";
import { orNotFound } from "@/lib/http/or-not-found";
import { todayIn } from "@/lib/invoices/dates";
import { getPatientOrThrow } from "@/lib/patients/get-patient-or-throw";
import { listPlanOptions } from "@/lib/payment-plans/list-plan-options";
import { listMembershipPlans } from "@/lib/memberships/membership-plans";
import { enrollMembershipAction } from "@/lib/actions/memberships/enroll-membership";
import { cardLabel } from "@/components/cards/card-label";
import { EnrollMembershipForm } from "@/components/memberships/enroll-membership-form";
import { buttonVariants } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Enroll in a membership" };

export default async function NewMembershipPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const auth = await requirePageAuth("billing");
  const db = await getDb();
  const { patientId } = await searchParams;
  const patient = await orNotFound(typeof patientId === "string" ? patientId : "", (id) => getPatientOrThrow(db, { id, organizationId: auth.organization.id }));
  const [plans, { cards }] = await Promise.all([
    listMembershipPlans(db, { organizationId: auth.organization.id }),
    listPlanOptions(db, { organizationId: auth.organization.id, patientId: patient.id }),
  ]);
  const name = `${patient.firstName} ${patient.lastName}`;
  return (
    <div className="grid max-w-3xl grid-cols-1 gap-6">
      <Link href={`/app/patients/${patient.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {name}
      </Link>
      <PageHeader title="Enroll in a membership" description={`${name} pays the plan's price every period, charged to their card on file.`} />
      {plans.length === 0 ? (
        <EmptyState
          icon={BadgeCheck}
          title="No membership plans yet — create one"
          description={hasRole(auth.role, "admin") ? "Define the plans your clinic offers, then enroll patients." : "Ask an admin to create one in Settings."}
          action={
            hasRole(auth.role, "admin") && (
              <Link href="/app/settings/membership-plans" className={buttonVariants({ variant: "outline" })}>
                Create a membership plan
              </Link>
            )
          }
        />
      ) : (
        <EnrollMembershipForm
          patientId={patient.id}
          patientEmail={patient.email}
          today={todayIn(auth.organization.timezone)}
          plans={plans}
          cards={cards.map((card) => ({ id: card.id, label: cardLabel(card) }))}
          enroll={enrollMembershipAction}
        />
      )}
    </div>
  );
}
