"use client";

import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useRouter } from "next/navigation";
import { Command } from "cmdk";
import { CreditCard, FileText, Loader2, Search, User } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import type { GlobalSearchResults, TGlobalSearchInput } from "@/lib/search/global-search.types";
import { formatMoney } from "@/lib/money/currency";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogTitle } from "@/components/ui/dialog";
import { STATUS_LABELS } from "@/components/invoices/invoice-format";
import { PaymentStatusBadge, paymentMethodLabel } from "@/components/payments/payment-status-badge";

type SearchState =
  | { status: "idle" }
  | { status: "loading"; results: GlobalSearchResults | null }
  | { status: "done"; query: string; results: GlobalSearchResults }
  | { status: "error"; message: string };

const DEBOUNCE_MS = 200;

/** Typing in a field, where "/" is a character and not the shortcut. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

const noSubscription = () => () => {};
/** "⌘K" on Apple devices, "Ctrl K" elsewhere (and on the server, which cannot know). */
function useShortcutLabel(): string {
  return useSyncExternalStore(
    noSubscription,
    () => (/Mac|iPhone|iPad/.test(navigator.platform) ? "⌘K" : "Ctrl K"),
    () => "Ctrl K",
  );
}

/**
 * The header's search over patients, invoices and payments: opens with Ctrl/⌘+K or "/" (and the
 * header button), searches as one types (debounced), results grouped; arrows move, Enter opens.
 */
export function GlobalSearch({ search }: { search: (input: TGlobalSearchInput) => Promise<ActionResult<GlobalSearchResults>> }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [state, setState] = useState<SearchState>({ status: "idle" });
  const latest = useRef(0);
  const shortcut = useShortcutLabel();

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key.toLowerCase() === "k" && (event.metaKey || event.ctrlKey) && !event.altKey) {
        event.preventDefault();
        setOpen((wasOpen) => !wasOpen);
      } else if (event.key === "/" && !event.metaKey && !event.ctrlKey && !event.altKey && !isTypingTarget(event.target)) {
        event.preventDefault();
        setOpen(true);
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);

  useEffect(() => {
    const text = query.trim();
    if (!open || !text) return;
    const request = ++latest.current;
    const timer = setTimeout(async () => {
      setState((previous) => ({ status: "loading", results: previous.status === "done" || previous.status === "loading" ? previous.results : null }));
      try {
        const result = await search({ query: text });
        if (request !== latest.current) return;
        setState(result.ok ? { status: "done", query: text, results: result.data } : { status: "error", message: result.error.message });
      } catch {
        if (request === latest.current) setState({ status: "error", message: "Search is not available right now. Check your connection and try again." });
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, open, search]);

  const changeQuery = (value: string) => {
    setQuery(value);
    if (!value.trim()) {
      latest.current += 1;
      setState({ status: "idle" });
    }
  };

  const go = (href: string) => {
    setOpen(false);
    router.push(href);
  };

  const results = state.status === "done" || state.status === "loading" ? state.results : null;
  const count = results ? results.patients.length + results.invoices.length + results.payments.length : 0;
  const itemClass =
    "flex cursor-pointer items-center gap-3 rounded-md px-2 py-2 text-sm outline-none select-none data-[selected=true]:bg-accent data-[selected=true]:text-accent-foreground";
  const groupClass =
    "px-1 py-1.5 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-muted-foreground";

  return (
    <>
      <Button variant="outline" className="hidden h-9 w-56 justify-start gap-2 px-3 text-muted-foreground md:inline-flex lg:w-72" onClick={() => setOpen(true)}>
        <Search aria-hidden="true" />
        <span className="flex-1 text-left">Search patients, invoices…</span>
        <kbd aria-hidden="true" className="rounded border bg-muted px-1.5 font-mono text-[0.7rem] text-muted-foreground">
          {shortcut}
        </kbd>
      </Button>
      <Button variant="ghost" size="icon" className="md:hidden" aria-label="Search patients, invoices and payments" onClick={() => setOpen(true)}>
        <Search aria-hidden="true" />
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent className="top-4 max-h-[calc(100dvh-2rem)] translate-y-0 gap-0 overflow-hidden p-0 sm:top-[12vh] sm:max-w-xl" showCloseButton={false}>
          <DialogTitle className="sr-only">Search</DialogTitle>
          <DialogDescription className="sr-only">
            Find patients by name, email, phone or MRN, invoices by number or patient, and payments by patient, invoice number or amount.
          </DialogDescription>
          <Command shouldFilter={false} loop label="Search patients, invoices and payments" className="flex max-h-[inherit] min-w-0 flex-col">
            <div className="flex items-center gap-2 border-b px-3">
              {state.status === "loading" ? (
                <Loader2 aria-hidden="true" className="size-4 shrink-0 animate-spin text-muted-foreground" />
              ) : (
                <Search aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
              )}
              <Command.Input
                value={query}
                onValueChange={changeQuery}
                maxLength={100}
                placeholder="Name, phone, MRN, invoice number or amount"
                className="h-12 w-full bg-transparent text-base outline-none placeholder:text-muted-foreground sm:text-sm"
              />
              <kbd className="hidden rounded border bg-muted px-1.5 font-mono text-[0.7rem] text-muted-foreground sm:inline">Esc</kbd>
            </div>
            <div aria-live="polite" className="text-sm text-muted-foreground empty:hidden">
              {state.status === "idle" && (
                <p className="px-4 py-6 text-center">Type a patient&apos;s name, phone or MRN, an invoice number, or an amount such as $150.00.</p>
              )}
              {state.status === "error" && (
                <p role="alert" className="px-4 py-6 text-center text-destructive">
                  {state.message}
                </p>
              )}
              {state.status === "done" && count === 0 && (
                <p className="px-4 py-6 text-center">Nothing matches “{state.query}”. Try a last name, part of a phone number or an invoice number.</p>
              )}
              {state.status === "loading" && !results && <p className="px-4 py-6 text-center">Searching…</p>}
            </div>
            <Command.List label="Results" className="max-h-[min(60dvh,28rem)] overflow-y-auto overscroll-contain empty:hidden">
              {results && results.patients.length > 0 && (
                <Command.Group heading="Patients" className={groupClass}>
                  {results.patients.map((patient) => (
                    <Command.Item key={patient.id} value={`patient-${patient.id}`} onSelect={() => go(`/app/patients/${patient.id}`)} className={itemClass}>
                      <User aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
                      <span className="min-w-0 flex-1">
                        <span className="block truncate font-medium">
                          {patient.name}
                          {patient.archived && <span className="font-normal text-muted-foreground"> · archived</span>}
                        </span>
                        <span className="block truncate text-xs text-muted-foreground">
                          {[patient.externalId && `MRN ${patient.externalId}`, patient.phone, patient.email].filter(Boolean).join(" · ") ||
                            "No contact details"}
                        </span>
                      </span>
                    </Command.Item>
                  ))}
                </Command.Group>
              )}
              {results && results.invoices.length > 0 && (
                <Command.Group heading="Invoices" className={groupClass}>
                  {results.invoices.map((invoice) => (
                    <Command.Item key={invoice.id} value={`invoice-${invoice.id}`} onSelect={() => go(`/app/invoices/${invoice.id}`)} className={itemClass}>
                      <FileText aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
                      <span className="min-w-0 flex-1">
                        <span className="block truncate font-medium tabular-nums">{invoice.number ?? "Draft"}</span>
                        <span className="block truncate text-xs text-muted-foreground">
                          {invoice.patientName} · {STATUS_LABELS[invoice.status as keyof typeof STATUS_LABELS] ?? invoice.status}
                        </span>
                      </span>
                      <span className="shrink-0 text-right text-xs tabular-nums">
                        {invoice.status === "draft" ? formatMoney(invoice.total, invoice.currency) : `${formatMoney(invoice.amountDue, invoice.currency)} due`}
                      </span>
                    </Command.Item>
                  ))}
                </Command.Group>
              )}
              {results && results.payments.length > 0 && (
                <Command.Group heading="Payments" className={groupClass}>
                  {results.payments.map((payment) => (
                    <Command.Item key={payment.id} value={`payment-${payment.id}`} onSelect={() => go(`/app/payments/${payment.id}`)} className={itemClass}>
                      <CreditCard aria-hidden="true" className="size-4 shrink-0 text-muted-foreground" />
                      <span className="min-w-0 flex-1">
                        <span className="block truncate font-medium tabular-nums">{formatMoney(payment.amount, payment.currency)}</span>
                        <span className="block truncate text-xs text-muted-foreground">
                          {[payment.patientName, payment.invoiceNumber, paymentMethodLabel(payment), payment.createdOn].filter(Boolean).join(" · ")}
                        </span>
                      </span>
                      <PaymentStatusBadge state={payment.display} />
                    </Command.Item>
                  ))}
                </Command.Group>
              )}
            </Command.List>
            <div className="hidden items-center gap-4 border-t px-3 py-2 text-xs text-muted-foreground sm:flex">
              <span>↑ ↓ to move</span>
              <span>Enter to open</span>
              <span>Esc to close</span>
            </div>
          </Command>
        </DialogContent>
      </Dialog>
    </>
  );
}
