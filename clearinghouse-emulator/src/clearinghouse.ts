import * as fs from "node:fs";
import { basename, dirname, join } from "node:path";
import ssh2 from "ssh2";
import { generateSshKeyPair, sshKeyFingerprint } from "@/lib/clearinghouse/ssh-keys";
import { checkStructure } from "@/lib/x12/check-structure";
import { parseLoopMap, type MapLoop } from "@/lib/x12/loop-map";
import { elementOf, readX12 } from "@/lib/x12/read-x12";
import type { EmulatorConfig } from "./config";
import { read837P, type SubmittedClaim } from "./read-837p";
import {
  adjudicateClaim,
  judgeClaim,
  reverseAdjudication,
  read270,
  write271,
  write277CA,
  write835,
  write999,
  type AdjudicatedClaim,
  type ClaimVerdict,
  type MemberAccumulators,
  type ResponseEnvelope,
  type StoredAdjudication,
} from "./responses";
import { startSftpServer, type SftpAccount } from "./sftp-server";

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { utils } = ssh2;

/** The submitter's folders, as its SFTP account sees them. */
export const INBOX = "/inbox";
export const OUTBOX = "/outbox";

const MAP_837P = new URL("../../lib/x12/__fixtures__/imsweb/mapping/837.5010.X222.A1.xml", import.meta.url);

type PendingRemittance = {
  dueAt: number;
  account: string;
  submitterId: string;
  usage: "P" | "T";
  payee: { name: string; npi: string };
  claims: { claim: SubmittedClaim; payerId: string; payerClaimNumber: string }[];
};

type EmulatorState = {
  nextControlNumber: number;
  nextPayerClaimNumber: number;
  /** "payerId|memberId" → what the member has used this plan year. */
  members: Record<string, MemberAccumulators>;
  pendingRemittances: PendingRemittance[];
  /** Payer claim number → the claim's adjudication, once its 835 went out: what a corrected (7) or void (8) claim reverses. */
  adjudications: Record<string, StoredAdjudication>;
};

export type ClearinghouseEmulator = {
  port: number;
  /** The SFTP server's host key fingerprint (SHA256:…), for clients to pin; the key is kept in `<dataDir>/host_key` across starts. */
  hostKeySha256: string;
  /** Lets `username` (its submitter id) sign in with `publicKey` (an OpenSSH public key line); kept in accounts.json. */
  addAccount(account: SftpAccount): void;
  /** Resolves once every file received so far has been answered (for tests and a clean stop). */
  idle(): Promise<void>;
  close(): Promise<void>;
};

/**
 * The clearinghouse emulator: an SFTP server on loopback where each submitter puts 837P and 270
 * files into /inbox and finds the answers in /outbox (a 999 and a 277CA at once, an 835 after
 * `remittanceDelaySeconds`, a 271 for a 270), by the rules in README.md. Its state (control
 * numbers, members' deductibles met, remittances due) is kept in `<dataDir>/state.json`.
 */
export async function startClearinghouseEmulator(options: {
  dataDir: string;
  config: EmulatorConfig;
  host?: string;
  port?: number;
  log?: (message: string, details?: Record<string, unknown>) => void;
}): Promise<ClearinghouseEmulator> {
  const { dataDir, config } = options;
  const log = options.log ?? (() => undefined);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const hostKeyFile = join(dataDir, "host_key");
  if (!fs.existsSync(hostKeyFile)) fs.writeFileSync(hostKeyFile, generateSshKeyPair().private, { mode: 0o600 });
  const accountsFile = join(dataDir, "accounts.json");
  const stateFile = join(dataDir, "state.json");
  const sftpRoot = join(dataDir, "sftp");
  const state: EmulatorState = {
    nextControlNumber: 1,
    nextPayerClaimNumber: 1,
    members: {},
    pendingRemittances: [],
    adjudications: {},
    // A state.json from before a field existed keeps the field's starting value.
    ...(fs.existsSync(stateFile) ? (JSON.parse(fs.readFileSync(stateFile, "utf8")) as Partial<EmulatorState>) : {}),
  };
  /** A member first seen: what the configuration says they had met this plan year, else nothing. */
  const startingAccumulators = (memberKey: string) => ({ deductibleMetCents: 0, outOfPocketMetCents: 0, ...config.members[memberKey] });
  const saveState = () => writeAtomically(stateFile, JSON.stringify(state, null, 2));
  const readAccounts = (): SftpAccount[] => (fs.existsSync(accountsFile) ? (JSON.parse(fs.readFileSync(accountsFile, "utf8")) as SftpAccount[]) : []);
  let map837: MapLoop | null = null;

  const home = (account: string) => join(sftpRoot, account);
  const ensureFolders = (account: string) => {
    for (const folder of [INBOX, OUTBOX]) fs.mkdirSync(join(home(account), folder), { recursive: true });
  };
  for (const account of readAccounts()) ensureFolders(account.username);

  const nextEnvelope = (submitterId: string, usage: "P" | "T"): ResponseEnvelope => {
    const interchangeControlNumber = state.nextControlNumber++;
    return { submitterId, interchangeControlNumber, createdAt: new Date(), usage };
  };
  /** Into the outbox under a name that sorts in the order written and is never reused: 000000012.999.x12. */
  const deliver = (account: string, envelope: ResponseEnvelope, kind: string, content: string) => {
    saveState();
    const name = `${String(envelope.interchangeControlNumber).padStart(9, "0")}.${kind}.x12`;
    // Written beside, then renamed in: a client listing the outbox never sees half a file.
    writeAtomically(join(home(account), OUTBOX, name), content, join(dataDir, "tmp"));
    log("delivered", { account, file: `${OUTBOX}/${name}` });
  };

  const process837 = (account: string, text: string) => {
    map837 ??= parseLoopMap(fs.readFileSync(MAP_837P, "utf8"));
    const problems = checkStructure(text, map837);
    const interchange = readX12(text);
    const isa = interchange.segments[0]!;
    const submitterId = elementOf(isa, 6).trim() || account;
    const usage = elementOf(isa, 15) === "T" ? "T" : "P";
    if (elementOf(isa, 8).trim() !== config.clearinghouseId) {
      problems.push({ kind: "envelope", message: `ISA08 is "${elementOf(isa, 8).trim()}", not this clearinghouse (${config.clearinghouseId}).`, segment: 1 });
    }
    const submitted = read837P(text);
    const ack = nextEnvelope(submitterId, usage);
    const sets = submitted.transactionSets.map((set) => set.controlNumber);
    deliver(account, ack, "999", write999(config, ack, { groupControlNumber: submitted.groupControlNumber, setControlNumbers: sets, text }, problems));
    if (problems.length > 0) return;

    const claims = submitted.transactionSets.flatMap((set) => set.claims);
    const verdicts: ClaimVerdict[] = claims.map((claim) => {
      const verdict = judgeClaim(config, claim, `PCN${String(state.nextPayerClaimNumber++).padStart(10, "0")}`, (number) => state.adjudications[number]);
      // An accepted 7 or 8 claims its original at once: another correction of it (in this file or a later one) is rejected.
      if (verdict.accepted && claim.frequencyCode !== "1" && claim.originalPayerClaimNumber) {
        state.adjudications[claim.originalPayerClaimNumber]!.reversedBy = verdict.payerClaimNumber;
      }
      return verdict;
    });
    const bht = interchange.segments.find((segment) => segment.id === "BHT");
    const submitter = interchange.segments.find((segment) => segment.id === "NM1" && elementOf(segment, 1) === "41");
    const status = nextEnvelope(submitterId, usage);
    deliver(
      account,
      status,
      "277CA",
      write277CA(
        config,
        status,
        { ...submitted, batchReference: bht ? elementOf(bht, 3) : "", submitterName: submitter ? elementOf(submitter, 3) : "" },
        verdicts,
      ),
    );
    const accepted = verdicts.filter((verdict) => verdict.accepted && verdict.payer && verdict.payerClaimNumber);
    for (const payerId of new Set(accepted.map((verdict) => verdict.payer!.payerId))) {
      const mine = accepted.filter((verdict) => verdict.payer!.payerId === payerId);
      state.pendingRemittances.push({
        dueAt: Date.now() + config.remittanceDelaySeconds * 1000,
        account,
        submitterId,
        usage,
        payee: { name: mine[0]!.claim.billingProviderName, npi: mine[0]!.claim.billingProviderNpi },
        claims: mine.map((verdict) => ({ claim: verdict.claim, payerId, payerClaimNumber: verdict.payerClaimNumber! })),
      });
    }
    saveState();
  };

  const sendDueRemittances = () => {
    const now = Date.now();
    const due = state.pendingRemittances.filter((pending) => pending.dueAt <= now);
    if (due.length === 0) return;
    state.pendingRemittances = state.pendingRemittances.filter((pending) => pending.dueAt > now);
    for (const pending of due) {
      const payer = config.payers.find((each) => each.payerId === pending.claims[0]!.payerId);
      if (!payer) continue;
      const adjudicated: AdjudicatedClaim[] = [];
      for (const { claim, payerClaimNumber } of pending.claims) {
        // A claim queued by an older emulator has no frequency: an original.
        const frequency = claim.frequencyCode ?? "1";
        if (frequency !== "1") {
          // The reversal of the original first, giving its member back what it used; then the correction (a void stops there).
          const original = claim.originalPayerClaimNumber ? state.adjudications[claim.originalPayerClaimNumber] : undefined;
          if (original) {
            state.members[original.memberKey] ??= startingAccumulators(original.memberKey);
            adjudicated.push(reverseAdjudication({ ...original, payer }, state.members[original.memberKey]!));
          }
          if (frequency === "8") continue;
        }
        const memberKey = `${payer.payerId}|${claim.memberId}`;
        state.members[memberKey] ??= startingAccumulators(memberKey);
        const result = adjudicateClaim({ claim, accepted: true, statuses: [], payer, payerClaimNumber }, state.members[memberKey]);
        adjudicated.push(result);
        state.adjudications[payerClaimNumber] = {
          payerId: payer.payerId,
          memberKey,
          claim,
          payerClaimNumber,
          lines: result.lines,
          paidCents: result.paidCents,
          patientCents: result.patientCents,
          reversedBy: null,
        };
      }
      if (adjudicated.length === 0) continue;
      const remittance = nextEnvelope(pending.submitterId, pending.usage);
      deliver(
        pending.account,
        remittance,
        "835",
        write835(config, remittance, pending.payee, adjudicated, `CHK${String(remittance.interchangeControlNumber).padStart(9, "0")}`),
      );
    }
  };

  const process270 = (account: string, text: string) => {
    const request = read270(text);
    const memberId = request.subscriber ? elementOf(request.subscriber, 9) : "";
    const isa = readX12(text).segments[0]!;
    const answer = nextEnvelope(request.senderId || account, elementOf(isa, 15) === "T" ? "T" : "P");
    deliver(
      account,
      answer,
      "271",
      write271(config, answer, request, state.members[`${request.payerId}|${memberId}`] ?? config.members[`${request.payerId}|${memberId}`] ?? null),
    );
  };

  let queue = Promise.resolve();
  /** One thing at a time, in order; a failure is logged and never stops the work after it. */
  const enqueue = (work: () => void) => {
    queue = queue.then(work).catch((error: unknown) => log("failed", { error: String(error) }));
  };
  const onFileWritten = (account: string, path: string) => {
    if (dirname(path) !== INBOX) return;
    enqueue(() => {
      const real = join(home(account), path);
      const receivedDir = join(dataDir, "received", account);
      try {
        const text = fs.readFileSync(real, "utf8");
        fs.mkdirSync(receivedDir, { recursive: true });
        fs.renameSync(real, join(receivedDir, `${Date.now()}-${path.slice(INBOX.length + 1)}`));
        const st = readX12(text).segments.find((segment) => segment.id === "ST");
        const kind = st ? elementOf(st, 1) : "";
        log("received", { account, file: path, kind });
        if (kind === "837") process837(account, text);
        else if (kind === "270") process270(account, text);
        else log("ignored a file that is neither an 837 nor a 270", { account, file: path, kind });
      } catch (error) {
        log("could not process a file", { account, file: path, error: String(error) });
      }
    });
  };

  const hostKey = fs.readFileSync(hostKeyFile, "utf8");
  const parsedHostKey = utils.parseKey(hostKey);
  if (parsedHostKey instanceof Error) throw new Error(`${hostKeyFile} is not a private key: ${parsedHostKey.message}`);
  const hostKeySha256 = sshKeyFingerprint((Array.isArray(parsedHostKey) ? parsedHostKey[0]! : parsedHostKey).getPublicSSH());
  const server = await startSftpServer({
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    hostKey,
    root: sftpRoot,
    accounts: readAccounts,
    onFileWritten,
    log,
  });
  const timer = setInterval(() => enqueue(sendDueRemittances), 250);
  timer.unref();

  return {
    port: server.port,
    hostKeySha256,
    addAccount(account) {
      const accounts = readAccounts().filter((each) => each.username !== account.username);
      writeAtomically(accountsFile, JSON.stringify([...accounts, account], null, 2));
      ensureFolders(account.username);
    },
    idle: () => queue,
    async close() {
      clearInterval(timer);
      await queue;
      saveState();
      await server.close();
    },
  };
}

function writeAtomically(file: string, content: string, temporaryDir = dirname(file)): void {
  fs.mkdirSync(temporaryDir, { recursive: true });
  const temporary = join(temporaryDir, `${basename(file)}.${process.pid}.tmp`);
  fs.mkdirSync(dirname(file), { recursive: true });
  fs.writeFileSync(temporary, content, { mode: 0o600 });
  fs.renameSync(temporary, file);
}
