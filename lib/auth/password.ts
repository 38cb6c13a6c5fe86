import bcrypt from "bcryptjs";

const BCRYPT_COST = 11;

export const PASSWORD_MIN_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

/** A real hash of a random string, compared when the email is unknown so timing reveals nothing. */
const UNKNOWN_USER_HASH = bcrypt.hashSync(crypto.randomUUID(), BCRYPT_COST);

export function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  return bcrypt.compare(password, hash ?? UNKNOWN_USER_HASH).then((matches) => matches && hash !== null);
}
