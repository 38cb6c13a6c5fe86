"use client";

import { useRef, useState, useTransition, type FormEvent } from "react";
import { ImageIcon } from "lucide-react";
import { removeOrganizationLogoAction } from "@/lib/actions/organizations/remove-organization-logo";
import { uploadOrganizationLogoAction } from "@/lib/actions/organizations/upload-organization-logo";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";

const ACCEPTED = ["image/png", "image/jpeg"];

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

/**
 * The clinic's logo: a preview, an upload (PNG or JPEG, at most `maxBytes`, checked here for a
 * quick answer and again by its bytes on the server) and removal.
 */
export function LogoForm({ clinicName, logoPath, maxBytes }: { clinicName: string; logoPath: string | null; maxBytes: number }) {
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  const hint = `PNG or JPEG, at most ${maxBytes / 1024} KB. A wide logo on a transparent or white background prints best.`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get("logo");
    setStatus(null);
    if (!(file instanceof File) || file.size === 0) return setError("Choose an image file.");
    if (file.type && !ACCEPTED.includes(file.type)) {
      return setError(
        file.type === "image/svg+xml" ? "SVG logos are not accepted (they can carry scripts). Upload a PNG or JPEG." : "Upload a PNG or JPEG image.",
      );
    }
    if (file.size > maxBytes) return setError(`The logo is ${Math.ceil(file.size / 1024)} KB; use an image of at most ${maxBytes / 1024} KB.`);
    setError(null);
    startTransition(async () => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      const result = await uploadOrganizationLogoAction({ dataBase64: toBase64(bytes), contentType: file.type || undefined });
      if (result.ok) {
        formRef.current?.reset();
        setStatus("Logo saved.");
      } else {
        setError(result.error.fields?.logo?.[0] ?? result.error.fields?.dataBase64?.[0] ?? result.error.message);
      }
    });
  }

  return (
    <Card>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <CardHeader>
          <CardTitle>Logo</CardTitle>
          <CardDescription>Shown on the pay page, in emails and on invoice, receipt and credit note PDFs.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {status && (
            <Alert variant="success">
              <AlertDescription>{status}</AlertDescription>
            </Alert>
          )}
          <div className="flex min-h-20 items-center gap-4 rounded-md border bg-muted/40 p-4">
            {logoPath ? (
              // Our own route serves the logo with its cache headers: a plain <img>, no optimizer.
              // eslint-disable-next-line @next/next/no-img-element
              <img src={logoPath} alt={`${clinicName} logo`} className="h-12 w-auto max-w-48 object-contain" data-testid="settings-logo" />
            ) : (
              <p className="flex items-center gap-2 text-sm text-muted-foreground">
                <ImageIcon aria-hidden="true" className="size-5" /> No logo yet: documents show the clinic&apos;s name.
              </p>
            )}
          </div>
          <FormField label={logoPath ? "Replace the logo" : "Upload a logo"} htmlFor="logo" error={error ?? undefined} hint={hint}>
            <Input
              {...fieldControlProps("logo", { error: error ?? undefined, hint })}
              name="logo"
              type="file"
              accept="image/png,image/jpeg"
              className="h-auto py-1.5"
              onChange={() => setError(null)}
            />
          </FormField>
        </CardContent>
        <CardFooter className="flex-wrap justify-end gap-2">
          {logoPath && (
            <ConfirmButton
              title="Remove the logo?"
              description="Pages, emails and PDFs show the clinic's name without a logo until you upload one again."
              confirmLabel="Remove logo"
              pendingLabel="Removing…"
              destructive
              disabled={pending}
              onConfirm={async () => {
                const result = await removeOrganizationLogoAction({});
                if (result.ok) setStatus("Logo removed.");
                return result;
              }}
            >
              Remove logo
            </ConfirmButton>
          )}
          <Button type="submit" loading={pending}>
            Upload logo
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
