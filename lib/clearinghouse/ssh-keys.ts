import { createHash } from "node:crypto";
import ssh2 from "ssh2";

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { utils } = ssh2;

/** The fingerprint OpenSSH prints for a host key (`ssh-keygen -lf`): "SHA256:" and the unpadded base64 of the key blob's SHA-256. */
export function sshKeyFingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash("sha256").update(publicKeyBlob).digest("base64").replace(/=+$/, "")}`;
}

/**
 * A new ed25519 key pair in OpenSSH format. ssh2's generator writes an unreadable key about once in
 * 500 (mscdex/ssh2 #1513: ssh-keygen refuses those too), so a pair is kept only once both halves
 * read back.
 */
export function generateSshKeyPair(options: { comment?: string } = {}): { private: string; public: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = utils.generateKeyPairSync("ed25519", options.comment ? { comment: options.comment } : {});
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) return pair;
  }
  throw new Error("could not generate a readable SSH key pair");
}
