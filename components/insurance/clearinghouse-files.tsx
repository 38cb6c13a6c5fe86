"use client";

import { useRef, useState, useTransition, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { FileInput, Upload } from "lucide-react";
import type { ClearinghouseFileView, ImportResult, ImportSummaryLine } from "@/lib/clearinghouse/clearinghouse.types";
import type { ActionResult } from "@/lib/http/action";
import { formatDateTime } from "@/lib/dates/format-date";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { BackgroundPostingLinks } from "@/components/remittances/background-posting-links";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

/** Server actions carry at most about 1 MB; a clinic's acknowledgment files are far smaller. */
const MAX_FILE_BYTES = 900_000;

const KIND_LABELS: Record<string, string> = {
  "999": "999 acknowledgment",
  "277CA": "277CA claim acknowledgment",
  "271": "271 eligibility answer",
  "835": "835 remittance",
};

function SummaryList({ summary }: { summary: ImportSummaryLine[] }) {
  if (summary.length === 0) return <p className="text-sm text-muted-foreground">Nothing to apply.</p>;
  return (
    <ul className="grid list-disc gap-1 pl-5 text-sm">
      {summary.map((line, index) => (
        <li key={index} className="break-words">
          {line.message}
          {line.claimId && (
            <>
              {" "}
              <Link href={`/app/claims/${line.claimId}`} className="text-primary underline underline-offset-4">
                Open claim
              </Link>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/**
 * "Import a file": a 999, 277CA, 271 or 835 downloaded from the clearinghouse's portal. The import is
 * all or nothing; its summary says what changed (claims accepted or rejected, benefits read).
 */
export function ClearinghouseImport({
  importFile,
  configured,
}: {
  importFile?: (input: { fileName: string; content: string }) => Promise<ActionResult<ImportResult>>;
  /** Whether the clearinghouse is set up: its submitter id tells which files are this clinic's. */
  configured: boolean;
}) {
  const router = useRouter();
  const inputRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | undefined>();
  const [outcome, setOutcome] = useState<(ImportResult & { fileName: string }) | null>(null);
  const [pending, startTransition] = useTransition();
  const hint = "An X12 file from your clearinghouse: 999, 277CA, 271 or 835. Nothing changes if any part of it cannot be applied.";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!importFile) return;
    const file = inputRef.current?.files?.[0];
    setOutcome(null);
    if (!file) return setError("Choose a file to import.");
    if (file.size > MAX_FILE_BYTES) return setError("This file is over 900 KB: send it through the API (POST /api/v1/clearinghouse/files) or SFTP.");
    setError(undefined);
    startTransition(async () => {
      const content = await file.text();
      const result = await importFile({ fileName: file.name, content });
      if (!result.ok) return setError(Object.values(result.error.fields ?? {})[0]?.[0] ?? result.error.message);
      setOutcome({ ...result.data, fileName: file.name });
      if (inputRef.current) inputRef.current.value = "";
      router.refresh();
    });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Import a file</CardTitle>
        <CardDescription>Upload what the clearinghouse sent back, when you exchange files by hand.</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {importFile ? (
          <form onSubmit={submit} noValidate className="grid gap-4 sm:flex sm:items-start sm:gap-3">
            <FormField label="File" htmlFor="clearinghouse-file" error={error} hint={hint} className="sm:flex-1">
              <Input
                ref={inputRef}
                {...fieldControlProps("clearinghouse-file", { error, hint })}
                type="file"
                accept=".x12,.edi,.txt,.999,.277,.271,.835,.dat,text/plain"
                className="py-1.5"
                onChange={() => setError(undefined)}
              />
            </FormField>
            <Button type="submit" loading={pending} className="sm:mt-7">
              <Upload aria-hidden="true" /> Import
            </Button>
          </form>
        ) : (
          <p className="text-sm text-muted-foreground">
            {configured ? "Only billing staff and admins can import files." : "Save the clearinghouse's ids above before importing its files."}
          </p>
        )}
        {outcome && (
          <Alert variant="success" data-testid="import-summary" role="status">
            <AlertTitle>
              Imported {outcome.fileName} ({KIND_LABELS[outcome.kind] ?? outcome.kind})
            </AlertTitle>
            <AlertDescription>
              <SummaryList summary={outcome.summary} />
              <BackgroundPostingLinks postings={outcome.postingInBackground} />
            </AlertDescription>
          </Alert>
        )}
      </CardContent>
    </Card>
  );
}

/** The files received lately (uploaded or fetched by SFTP), newest first, each with what importing it changed. */
export function ClearinghouseFileList({ files, timeZone }: { files: ClearinghouseFileView[]; timeZone: string }) {
  return (
    <Card data-testid="clearinghouse-files">
      <CardHeader>
        <CardTitle>Recent files</CardTitle>
        <CardDescription>Files received from the clearinghouse. A file is never applied twice.</CardDescription>
      </CardHeader>
      <CardContent>
        {files.length === 0 ? (
          <EmptyState icon={FileInput} title="No files received yet" description="Acknowledgments and remittances show here once imported." />
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>File</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead>Received</TableHead>
                <TableHead>What it changed</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {files.map((file) => (
                <TableRow key={file.id} data-testid="clearinghouse-file">
                  <TableCell className="max-w-48 font-mono text-xs break-all">{file.fileName}</TableCell>
                  <TableCell>
                    <Badge variant="outline">{file.kind}</Badge>
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {formatDateTime(file.importedAt, { timeZone })}
                    <span className="block text-xs text-muted-foreground">
                      {file.source === "sftp" ? "SFTP" : "Uploaded"} · {file.importedBy}
                    </span>
                  </TableCell>
                  <TableCell className="min-w-64 whitespace-normal">
                    <SummaryList summary={file.summary} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
