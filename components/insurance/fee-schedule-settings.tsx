"use client";

import { useRef, useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { ListChecks, Pencil, Trash2 } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import type { PayerFeeView, TPayerFeeInput } from "@/lib/insurance/fee-schedule";
import type { PayerView } from "@/lib/insurance/insurance.types";
import { formatMoney, toDecimalString } from "@/lib/money/currency";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { TextField, useFieldErrors } from "./form-bits";

type Result = ActionResult<unknown>;

export type FeeScheduleActions = {
  save: (input: TPayerFeeInput & { payerId: string }) => Promise<Result>;
  remove: (input: { payerId: string; id: string }) => Promise<Result>;
};

const FIELDS = ["procedureCode", "modifier", "allowedAmount"];
const codeLabel = (fee: PayerFeeView) => (fee.modifier ? `${fee.procedureCode}-${fee.modifier}` : fee.procedureCode);

/**
 * What one payer allows per unit for each procedure code (and, where it differs, code and
 * modifier): the underpaid queue compares posted remittance lines with it. Billing staff and admins
 * add, change and remove entries; viewers read them.
 */
export function FeeScheduleSettings({ payer, fees, actions }: { payer: PayerView; fees: PayerFeeView[]; actions?: FeeScheduleActions }) {
  const router = useRouter();
  const [procedureCode, setProcedureCode] = useState("");
  const [modifier, setModifier] = useState("");
  const [allowedAmount, setAllowedAmount] = useState("");
  const [pending, startTransition] = useTransition();
  const fieldErrors = useFieldErrors((field) => FIELDS.includes(field));
  const { error } = fieldErrors;
  const codeInput = useRef<HTMLInputElement>(null);
  const amountInput = useRef<HTMLInputElement>(null);

  function edit(fee: PayerFeeView) {
    fieldErrors.clear();
    setProcedureCode(fee.procedureCode);
    setModifier(fee.modifier ?? "");
    setAllowedAmount(toDecimalString(fee.allowedAmount, "USD"));
    amountInput.current?.focus();
    amountInput.current?.select();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!actions) return;
    fieldErrors.clear();
    startTransition(async () => {
      const result = await actions.save({
        payerId: payer.id,
        procedureCode: procedureCode.trim(),
        modifier: modifier.trim(),
        allowedAmount: allowedAmount.trim(),
      });
      if (!result.ok) return fieldErrors.show(result);
      const code = modifier.trim() ? `${procedureCode.trim().toUpperCase()}-${modifier.trim().toUpperCase()}` : procedureCode.trim().toUpperCase();
      toast.success(`${code} saved.`);
      setProcedureCode("");
      setModifier("");
      setAllowedAmount("");
      codeInput.current?.focus();
      router.refresh();
    });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <span className="break-words">{payer.name}</span>: fee schedule
        </CardTitle>
        <CardDescription>
          What this payer allows per unit for each procedure code. Posted remittance lines allowed less show in the{" "}
          <Link href="/app/claims/underpaid" className="font-medium text-foreground underline underline-offset-4">
            underpaid queue
          </Link>
          . A fee for a code and modifier (such as 99213-25) applies to lines whose first modifier is that one; the fee without a modifier applies to the
          others.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <Link href="/app/settings/payers" className="w-fit text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline">
          ← All payers
        </Link>
        {payer.archivedAt && (
          <Alert>
            <AlertDescription>This payer is archived; its fee schedule still applies to payments that arrive from it.</AlertDescription>
          </Alert>
        )}
        {actions ? (
          <form onSubmit={submit} noValidate className="grid gap-4 rounded-lg border p-4" aria-labelledby="fee-form-title">
            <h3 id="fee-form-title" className="text-base font-semibold">
              Add or change a fee
            </h3>
            {fieldErrors.formError && (
              <Alert variant="destructive">
                <AlertDescription>{fieldErrors.formError}</AlertDescription>
              </Alert>
            )}
            <div className="grid gap-4 sm:grid-cols-3">
              <TextField
                ref={codeInput}
                id="fee-procedure-code"
                label="Procedure code"
                required
                maxLength={5}
                autoCapitalize="characters"
                spellCheck={false}
                hint="CPT or HCPCS, such as 99213."
                error={error("procedureCode")}
                value={procedureCode}
                onChange={setProcedureCode}
              />
              <TextField
                id="fee-modifier"
                label="Modifier (optional)"
                maxLength={2}
                autoCapitalize="characters"
                spellCheck={false}
                hint="Empty: any modifier."
                error={error("modifier")}
                value={modifier}
                onChange={setModifier}
              />
              <TextField
                ref={amountInput}
                id="fee-allowed-amount"
                label="Allowed per unit ($)"
                required
                inputMode="decimal"
                hint="Such as 85.00."
                error={error("allowedAmount")}
                value={allowedAmount}
                onChange={setAllowedAmount}
              />
            </div>
            <p className="text-sm text-muted-foreground">Saving a code and modifier that are already listed replaces their amount.</p>
            <div>
              <Button type="submit" loading={pending}>
                Save fee
              </Button>
            </div>
          </form>
        ) : (
          <Alert data-testid="fee-schedule-read-only">
            <AlertDescription>Only billing staff and admins can change the fee schedule.</AlertDescription>
          </Alert>
        )}
        {fees.length === 0 ? (
          <EmptyState
            icon={ListChecks}
            title="No fees yet"
            description={
              actions
                ? "Enter what this payer allows for the codes you bill, from your contract or its published fee schedule. Until then no line of its payments counts as underpaid."
                : "Billing staff or an admin can enter what this payer allows for each code."
            }
          />
        ) : (
          <Table data-testid="payer-fees" className="[&_td]:px-2 [&_th]:px-2 sm:[&_td]:px-3 sm:[&_th]:px-3">
            <TableHeader>
              <TableRow>
                <TableHead>Code</TableHead>
                <TableHead className="text-right">Allowed per unit</TableHead>
                {actions && (
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {fees.map((fee) => (
                <TableRow key={fee.id} data-testid="payer-fee">
                  <TableCell className="font-mono">
                    {fee.procedureCode}
                    {fee.modifier ? (
                      <span className="text-muted-foreground">-{fee.modifier}</span>
                    ) : (
                      <Badge variant="secondary" className="ml-2 font-sans">
                        Any modifier
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell className="text-right whitespace-nowrap tabular-nums">{formatMoney(fee.allowedAmount, "USD")}</TableCell>
                  {actions && (
                    <TableCell>
                      <div className="flex justify-end gap-1">
                        <Button type="button" variant="ghost" size="sm" onClick={() => edit(fee)} aria-label={`Change ${codeLabel(fee)}`}>
                          <Pencil aria-hidden="true" />
                          <span className="hidden sm:inline">Change</span>
                        </Button>
                        <ConfirmButton
                          variant="ghost"
                          size="sm"
                          title={`Remove the fee for ${codeLabel(fee)}?`}
                          description={
                            fee.modifier
                              ? `Lines with modifier ${fee.modifier} are then compared with the fee for ${fee.procedureCode} without a modifier, if there is one.`
                              : `Lines of ${fee.procedureCode} without a fee of their own no longer count as underpaid.`
                          }
                          confirmLabel="Remove fee"
                          pendingLabel="Removing…"
                          destructive
                          onConfirm={async () => {
                            const result = await actions.remove({ payerId: payer.id, id: fee.id });
                            if (result.ok) {
                              toast.success(`${codeLabel(fee)} removed.`);
                              router.refresh();
                            }
                            return result;
                          }}
                        >
                          <Trash2 aria-hidden="true" />
                          <span className="sr-only sm:not-sr-only">Remove</span>
                          <span className="sr-only"> {codeLabel(fee)}</span>
                        </ConfirmButton>
                      </div>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
