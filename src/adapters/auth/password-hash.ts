/**
 * Passwords, hashed with argon2id (@node-rs/argon2, its prebuilt binary from the npm registry) at OWASP's
 * recommended cost (19 MiB, 2 passes). Tokens (session cookies, API tokens) are random 32 bytes; only their sha-256
 * is stored, so a copy of the database opens no session.
 */
import { hash, verify } from "@node-rs/argon2";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_CHARS = 10;
export const MAX_PASSWORD_CHARS = 256;

/** a user name: 3 to 32 lowercase letters, digits, `_`, `.` or `-` (the administration page and `gongkai user add`) */
export const USERNAME_RE = /^[a-z0-9_.-]{3,32}$/;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** false for a wrong password and for a malformed stored hash alike */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the user does not exist, so that a login takes as long either way. */
let dummy: Promise<string> | null = null;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  return dummy;
}

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
