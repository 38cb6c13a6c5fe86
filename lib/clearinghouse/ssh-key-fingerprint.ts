import { createHash } from "node:crypto";

/** The fingerprint OpenSSH prints for a host key (`ssh-keygen -lf`): "SHA256:" and the unpadded base64 of the key blob's SHA-256. */
export function sshKeyFingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(publicKeyBlob).digest("base64").replace(/=+$/, "")}`;
}
