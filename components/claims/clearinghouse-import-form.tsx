"use client";

import { useRef, useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Upload } from "lucide-react";
import type { ActionResult } from "@/lib/http/action";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { BackgroundPostingLinks } from "@/components/remittances/background-posting-links";

export type ImportFileResult = {
  fileId: string;
  kind: string;
  summary: { claimId?: string; message: string }[];
  /** An 835's payments left to the background job: each page shows the posting's progress. */
  postingInBackground: { remittanceId: string; claimPayments: number }[];
};

const HINT = "A 999 or 277CA from the clearinghouse's portal (also 271 and 835). A file already imported, malformed or for another submitter changes nothing.";

/** Uploads a response file from the clearinghouse and shows what it did to the claims, in words. */
export function ClearinghouseImportForm(props: { importFile: (input: { fileName: string; content: string }) => Promise<ActionResult<ImportFileResult>> }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportFileResult | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setResult(null);
    const file = input.current?.files?.[0];
    if (!file) {
      setError("Choose the file to import.");
      return;
    }
    setError(null);
    startTransition(async () => {
      const imported = await props.importFile({ fileName: file.name, content: await file.text() });
      if (!imported.ok) {
        setError(Object.values(imported.error.fields ?? {})[0]?.[0] ?? imported.error.message);
        return;
      }
      setResult(imported.data);
      toast.success(`${imported.data.kind} imported.`);
      if (input.current) input.current.value = "";
      router.refresh();
    });
  }

  return (
    <form className="grid gap-3" onSubmit={submit} noValidate>
      <FormField label="Response file" htmlFor="clearinghouse-file" error={error ?? undefined} hint={HINT}>
        <Input
          {...fieldControlProps("clearinghouse-file", { error: error ?? undefined, hint: HINT })}
          ref={input}
          type="file"
          accept=".txt,.x12,.edi,.999,.277,.835,.271,text/plain"
        />
      </FormField>
      <Button type="submit" variant="outline" loading={pending} className="w-fit">
        <Upload aria-hidden="true" /> Import file
      </Button>
      {result && (
        <Alert data-testid="import-summary">
          <AlertDescription>
            <p className="font-medium">{result.kind} imported:</p>
            <ul className="mt-1 grid list-disc gap-1 pl-5">
              {result.summary.map((line, index) => (
                <li key={index}>
                  {line.claimId ? (
                    <Link href={`/app/claims/${line.claimId}`} className="text-primary underline underline-offset-4">
                      {line.message}
                    </Link>
                  ) : (
                    line.message
                  )}
                </li>
              ))}
            </ul>
            <BackgroundPostingLinks postings={result.postingInBackground} />
          </AlertDescription>
        </Alert>
      )}
    </form>
  );
}
