"use client";

import { useState, useTransition, type FormEvent } from "react";
import { Check, Copy, KeyRound, Plus } from "lucide-react";
import { createApiKeyAction } from "@/lib/actions/api-keys/create-api-key";
import { revokeApiKeyAction } from "@/lib/actions/api-keys/revoke-api-key";
import { ClinicTime } from "@/components/ui/clinic-time";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export type ApiKeyRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revoked: boolean };

export function ApiKeysPanel({ keys, timeZone }: { keys: ApiKeyRow[]; timeZone: string }) {
  const [open, setOpen] = useState(false);
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    setNameError(undefined);
    startTransition(async () => {
      const result = await createApiKeyAction({ name });
      if (result.ok) {
        setOpen(false);
        setCopied(false);
        setCreated({ name: result.data.name, secret: result.data.secret });
      } else {
        setNameError(result.error.fields?.name?.[0] ?? result.error.message);
      }
    });
  }

  function onRevoke(apiKeyId: string) {
    setError(null);
    startTransition(async () => {
      const result = await revokeApiKeyAction({ apiKeyId });
      if (!result.ok) setError(result.error.message);
    });
  }

  return (
    <Card>
      <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1">
          <CardTitle>API keys</CardTitle>
          <CardDescription>
            Other clinic systems (EHR, practice management) use these keys for the REST API at <code>/api/v1</code>. The{" "}
            <a className="text-primary underline-offset-4 hover:underline" href="/api/v1/openapi.json">
              OpenAPI description
            </a>{" "}
            lists every endpoint.
          </CardDescription>
        </div>
        <Dialog open={open} onOpenChange={(next) => (setOpen(next), setNameError(undefined))}>
          <DialogTrigger asChild>
            <Button>
              <Plus aria-hidden="true" /> Create key
            </Button>
          </DialogTrigger>
          <DialogContent>
            <form onSubmit={onCreate} noValidate className="grid gap-4">
              <DialogHeader>
                <DialogTitle>Create an API key</DialogTitle>
                <DialogDescription>Name it after the system that will use it, so you know what to revoke later.</DialogDescription>
              </DialogHeader>
              <FormField label="Name" htmlFor="api-key-name" error={nameError} required>
                <Input
                  {...fieldControlProps("api-key-name", { error: nameError, required: true })}
                  name="name"
                  placeholder="e.g. EHR sync"
                  autoComplete="off"
                />
              </FormField>
              <DialogFooter>
                <Button type="submit" loading={pending}>
                  Create key
                </Button>
              </DialogFooter>
            </form>
          </DialogContent>
        </Dialog>
      </CardHeader>
      <CardContent className="grid gap-4">
        {created && (
          <Alert variant="success">
            <AlertTitle>Copy the key for “{created.name}” now</AlertTitle>
            <AlertDescription className="grid gap-2">
              <span>It is shown only once. Carebill keeps only a fingerprint of it.</span>
              <span className="flex flex-wrap items-center gap-2">
                <code data-testid="new-api-key" className="rounded bg-muted px-2 py-1 text-xs break-all text-foreground">
                  {created.secret}
                </code>
                <Button
                  variant="outline"
                  size="sm"
                  onClick={() => {
                    void navigator.clipboard?.writeText(created.secret).then(() => setCopied(true));
                  }}
                >
                  {copied ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
                  {copied ? "Copied" : "Copy"}
                </Button>
              </span>
            </AlertDescription>
          </Alert>
        )}
        {error && (
          <Alert variant="destructive">
            <AlertDescription>{error}</AlertDescription>
          </Alert>
        )}
        {keys.length === 0 ? (
          <EmptyState icon={KeyRound} title="No API keys yet" description="Create a key when another system needs to read or write patients and invoices." />
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.map((key) => (
                <TableRow key={key.id}>
                  <TableCell className="font-medium">{key.name}</TableCell>
                  <TableCell>
                    <code className="text-xs">{key.prefix}…</code>
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    <ClinicTime value={key.createdAt} timeZone={timeZone} />
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-muted-foreground">
                    {key.lastUsedAt ? <ClinicTime value={key.lastUsedAt} timeZone={timeZone} /> : "Never"}
                  </TableCell>
                  <TableCell>{key.revoked ? <Badge variant="secondary">Revoked</Badge> : <Badge variant="success">Active</Badge>}</TableCell>
                  <TableCell className="text-right">
                    {!key.revoked && (
                      <ConfirmButton
                        title={`Revoke “${key.name}”?`}
                        description="Requests with this key are refused at once. This cannot be undone."
                        confirmLabel="Revoke key"
                        destructive
                        disabled={pending}
                        onConfirm={() => onRevoke(key.id)}
                      >
                        Revoke
                      </ConfirmButton>
                    )}
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
