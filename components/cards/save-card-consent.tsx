/**
 * "Save this card for future charges" at the desk, with the card-on-file terms the patient agrees
 * to: on an invoice's "Pay with card" and on "Collect estimate"'s typed-in card.
 */
export function SaveCardConsent(props: {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  /** The terms paragraph's id (the checkbox is described by it). */
  termsId: string;
  termsText: string;
  termsTestId?: string;
}) {
  return (
    <div className="grid gap-2">
      <label className="flex items-start gap-3 text-sm">
        <input
          type="checkbox"
          checked={props.checked}
          onChange={(event) => props.onCheckedChange(event.target.checked)}
          className="mt-0.5 size-4 accent-primary"
          aria-describedby={props.termsId}
        />
        <span>
          <span className="font-medium">Save this card for future charges</span>
          <span className="block text-muted-foreground">Tick only when the patient agrees to these terms:</span>
        </span>
      </label>
      <p id={props.termsId} className="rounded-md border bg-muted/40 p-3 text-sm leading-relaxed" data-testid={props.termsTestId}>
        {props.termsText}
      </p>
    </div>
  );
}
