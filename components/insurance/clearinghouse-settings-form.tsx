"use client";

import { useState, useTransition, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import type { ClearinghouseSettingsView } from "@/lib/clearinghouse/clearinghouse.types";
import type { TClearinghouseSettingsInput } from "@/lib/clearinghouse/settings";
import type { ActionResult } from "@/lib/http/action";
import { formatDateTime } from "@/lib/dates/format-date";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Textarea } from "@/components/ui/textarea";
import { SelectField, TextField, useFieldErrors } from "./form-bits";

const FIELDS = [
  "connection",
  "submitterId",
  "submitterName",
  "receiverId",
  "receiverName",
  "usageIndicator",
  "sftpHost",
  "sftpPort",
  "sftpUsername",
  "sftpPrivateKey",
  "sftpUploadPath",
  "sftpDownloadPath",
  "sftpHostKeySha256",
];

/**
 * How claims reach the clearinghouse: by hand (download the 837, upload its answers) or by SFTP,
 * which a background job polls. The private key is write-only: the form says whether one is stored
 * and sends a new one only when typed.
 */
export function ClearinghouseSettingsForm({
  settings,
  timeZone,
  canEdit,
  save,
}: {
  settings: ClearinghouseSettingsView | null;
  timeZone: string;
  canEdit: boolean;
  save?: (input: TClearinghouseSettingsInput) => Promise<ActionResult<unknown>>;
}) {
  const router = useRouter();
  const [values, setValues] = useState({
    connection: settings?.connection ?? "manual",
    submitterId: settings?.submitterId ?? "",
    submitterName: settings?.submitterName ?? "",
    receiverId: settings?.receiverId ?? "",
    receiverName: settings?.receiverName ?? "",
    usageIndicator: settings?.usageIndicator ?? "P",
    sftpHost: settings?.sftpHost ?? "",
    sftpPort: settings?.sftpPort ? String(settings.sftpPort) : "22",
    sftpUsername: settings?.sftpUsername ?? "",
    sftpPrivateKey: "",
    sftpUploadPath: settings?.sftpUploadPath ?? "",
    sftpDownloadPath: settings?.sftpDownloadPath ?? "",
    sftpHostKeySha256: settings?.sftpHostKeySha256 ?? "",
  });
  const [pending, startTransition] = useTransition();
  // While files travel by hand the SFTP fields are hidden: their messages show at the top instead.
  const fieldErrors = useFieldErrors((field) => FIELDS.includes(field) && (values.connection === "sftp" || !field.startsWith("sftp")));
  const { error } = fieldErrors;
  const set = (key: keyof typeof values) => (value: string) => setValues((current) => ({ ...current, [key]: value }));
  const editable = canEdit && save !== undefined;
  const sftp = values.connection === "sftp";
  const keyHint = settings?.hasPrivateKey
    ? "A key is stored. Paste a new one to replace it, or leave this empty to keep it."
    : "The OpenSSH private key the clearinghouse authorized. Stored encrypted; never shown again.";

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!save) return;
    fieldErrors.clear();
    startTransition(async () => {
      // The SFTP fields are kept as typed even while files travel by hand, so switching back loses nothing.
      const result = await save({
        connection: values.connection,
        submitterId: values.submitterId.trim(),
        submitterName: values.submitterName.trim(),
        receiverId: values.receiverId.trim(),
        receiverName: values.receiverName.trim(),
        usageIndicator: values.usageIndicator,
        sftpHost: values.sftpHost.trim(),
        sftpPort: values.sftpPort.trim(),
        sftpUsername: values.sftpUsername.trim(),
        ...(values.sftpPrivateKey.trim() === "" ? {} : { sftpPrivateKey: values.sftpPrivateKey }),
        sftpUploadPath: values.sftpUploadPath.trim(),
        sftpDownloadPath: values.sftpDownloadPath.trim(),
        sftpHostKeySha256: values.sftpHostKeySha256.trim(),
      });
      if (!result.ok) return fieldErrors.show(result);
      setValues((current) => ({ ...current, sftpPrivateKey: "" }));
      toast.success("Clearinghouse settings saved.");
      router.refresh();
    });
  }

  return (
    <Card>
      <form onSubmit={submit} noValidate aria-label="Clearinghouse settings">
        <CardHeader>
          <CardTitle>Connection</CardTitle>
          <CardDescription>The ids your clearinghouse gave you go on every file you send; its answers are checked against them.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-6">
          {!canEdit && (
            <Alert data-testid="clearinghouse-read-only">
              <AlertDescription>Only admins can change the clearinghouse settings.</AlertDescription>
            </Alert>
          )}
          {settings?.connection === "sftp" && settings.lastPollError && (
            <Alert variant="destructive">
              <AlertTitle>The last SFTP poll failed</AlertTitle>
              <AlertDescription className="break-words">{settings.lastPollError}</AlertDescription>
            </Alert>
          )}
          {fieldErrors.formError && (
            <Alert variant="destructive">
              <AlertDescription>{fieldErrors.formError}</AlertDescription>
            </Alert>
          )}
          <fieldset disabled={!editable || pending} className="grid gap-4">
            <legend className="sr-only">Clearinghouse</legend>
            <div className="grid gap-4 sm:grid-cols-2">
              <SelectField
                id="clearinghouse-connection"
                label="How files travel"
                required
                error={error("connection")}
                value={values.connection}
                onChange={(value) => set("connection")(value === "sftp" ? "sftp" : "manual")}
              >
                <option value="manual">By hand: download and upload files</option>
                <option value="sftp">SFTP: sent and fetched automatically</option>
              </SelectField>
              <SelectField
                id="clearinghouse-usage"
                label="Usage"
                required
                hint="Test files are checked but never reach the payers."
                error={error("usageIndicator")}
                value={values.usageIndicator}
                onChange={(value) => set("usageIndicator")(value === "T" ? "T" : "P")}
              >
                <option value="P">Production</option>
                <option value="T">Test</option>
              </SelectField>
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <TextField
                id="clearinghouse-submitter-id"
                label="Submitter id"
                required
                maxLength={15}
                hint="Your ETIN or submitter id at the clearinghouse: each clinic has its own."
                error={error("submitterId")}
                value={values.submitterId}
                onChange={set("submitterId")}
              />
              <TextField
                id="clearinghouse-submitter-name"
                label="Submitter name"
                required
                maxLength={60}
                error={error("submitterName")}
                value={values.submitterName}
                onChange={set("submitterName")}
              />
              <TextField
                id="clearinghouse-receiver-id"
                label="Receiver id"
                required
                maxLength={15}
                hint="The clearinghouse's own id."
                error={error("receiverId")}
                value={values.receiverId}
                onChange={set("receiverId")}
              />
              <TextField
                id="clearinghouse-receiver-name"
                label="Receiver name"
                required
                maxLength={60}
                error={error("receiverName")}
                value={values.receiverName}
                onChange={set("receiverName")}
              />
            </div>
            {sftp && (
              <fieldset className="grid gap-4" data-testid="sftp-fields">
                <legend className="mb-2 w-full border-t pt-4 text-base font-semibold">SFTP</legend>
                <div className="grid gap-4 sm:grid-cols-6">
                  <TextField
                    id="clearinghouse-sftp-host"
                    className="sm:col-span-3"
                    label="Host"
                    required
                    maxLength={255}
                    error={error("sftpHost")}
                    value={values.sftpHost}
                    onChange={set("sftpHost")}
                  />
                  <TextField
                    id="clearinghouse-sftp-port"
                    className="sm:col-span-1"
                    label="Port"
                    required
                    inputMode="numeric"
                    maxLength={5}
                    error={error("sftpPort")}
                    value={values.sftpPort}
                    onChange={set("sftpPort")}
                  />
                  <TextField
                    id="clearinghouse-sftp-user"
                    className="sm:col-span-2"
                    label="User name"
                    required
                    maxLength={100}
                    error={error("sftpUsername")}
                    value={values.sftpUsername}
                    onChange={set("sftpUsername")}
                  />
                </div>
                <FormField
                  label="Private key"
                  htmlFor="clearinghouse-sftp-key"
                  error={error("sftpPrivateKey")}
                  hint={keyHint}
                  required={!settings?.hasPrivateKey}
                >
                  <Textarea
                    {...fieldControlProps("clearinghouse-sftp-key", { error: error("sftpPrivateKey"), hint: keyHint, required: !settings?.hasPrivateKey })}
                    rows={4}
                    spellCheck={false}
                    autoComplete="off"
                    className="font-mono text-xs"
                    placeholder={settings?.hasPrivateKey ? "•••••• (stored)" : "-----BEGIN OPENSSH PRIVATE KEY-----"}
                    value={values.sftpPrivateKey}
                    onChange={(event) => set("sftpPrivateKey")(event.target.value)}
                  />
                </FormField>
                <div className="grid gap-4 sm:grid-cols-2">
                  <TextField
                    id="clearinghouse-upload-path"
                    label="Upload folder"
                    required
                    maxLength={255}
                    hint="Where Carebill puts 837 and 270 files, such as /inbound."
                    error={error("sftpUploadPath")}
                    value={values.sftpUploadPath}
                    onChange={set("sftpUploadPath")}
                  />
                  <TextField
                    id="clearinghouse-download-path"
                    label="Download folder"
                    required
                    maxLength={255}
                    hint="Where the clearinghouse leaves 999, 277CA, 271 and 835 files."
                    error={error("sftpDownloadPath")}
                    value={values.sftpDownloadPath}
                    onChange={set("sftpDownloadPath")}
                  />
                </div>
                <TextField
                  id="clearinghouse-host-key"
                  label="Server's host key fingerprint"
                  maxLength={60}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="SHA256:…"
                  hint={
                    settings?.sftpHostKeySha256
                      ? "Carebill sends nothing to a server showing another key. Change it only when the clearinghouse tells you its key changed."
                      : "As the clearinghouse gave it (SHA256:…). Left empty, the key the server shows on the first connection is trusted from then on."
                  }
                  error={error("sftpHostKeySha256")}
                  value={values.sftpHostKeySha256}
                  onChange={set("sftpHostKeySha256")}
                />
                {settings?.connection === "sftp" && (
                  <p className="text-sm text-muted-foreground">
                    {settings.lastPolledAt ? `Last checked ${formatDateTime(settings.lastPolledAt, { timeZone }, { zoneName: true })}.` : "Not checked yet."}
                  </p>
                )}
              </fieldset>
            )}
          </fieldset>
        </CardContent>
        {editable && (
          <CardFooter className="justify-end">
            <Button type="submit" loading={pending}>
              Save clearinghouse settings
            </Button>
          </CardFooter>
        )}
      </form>
    </Card>
  );
}
