import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft } from "lucide-react";
import { getDb } from "@/lib/db/client";
import { requirePageAuth } from "@/lib/auth/session";
import { orNotFound } from "@/lib/http/or-not-found";
import { todayIn } from "@/lib/invoices/dates";
import { getClaimOrThrow } from "@/lib/claims/list-claims";
import { listRenderingProviders } from "@/lib/insurance/rendering-providers";
import { updateDraftClaimAction } from "@/lib/actions/claims/claim-actions";
import { ChargesForm } from "@/components/claims/charges-form";
import { valuesFromClaim } from "@/components/claims/charges-form-model";
import { renderingProviderLabel } from "@/components/claims/claim-format";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Edit claim" };

export default async function EditClaimPage({ params }: { params: Promise<{ id: string }> }) {
  const auth = await requirePageAuth("billing");
  const db = await getDb();
  const organizationId = auth.organization.id;
  const claim = await orNotFound((await params).id, (claimId) => getClaimOrThrow(db, { organizationId, claimId }));
  const providers = await listRenderingProviders(db, { organizationId });
  return (
    <div className="grid max-w-4xl grid-cols-1 gap-6">
      <Link href={`/app/claims/${claim.id}`} className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
        <ChevronLeft aria-hidden="true" className="size-4" /> {claim.displayNumber}
      </Link>
      <PageHeader
        title={`Edit ${claim.displayNumber}`}
        description={`${claim.patient.name} · ${claim.payer.name}. Saving puts the claim back to draft: validate it again before submitting.`}
      />
      {claim.allowedActions.includes("edit") ? (
        <ChargesForm
          target={{ kind: "claim", claimId: claim.id, save: updateDraftClaimAction }}
          initialValues={valuesFromClaim(claim, claim.currency)}
          currency={claim.currency}
          today={todayIn(auth.organization.timezone)}
          renderingProviders={providers.map((provider) => ({ id: provider.id, label: renderingProviderLabel(provider) }))}
          cancelHref={`/app/claims/${claim.id}`}
          savedHrefPrefix="/app/claims/"
          submitLabel="Save claim"
          savedMessage="Claim saved as a draft: validate it again."
        />
      ) : (
        <Alert variant="warning">
          <AlertDescription>
            A {claim.statusLabel.toLowerCase()} claim cannot be edited: create a corrected claim from it instead, once the payer has accepted it.
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}
