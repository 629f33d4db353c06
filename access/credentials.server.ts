/** Secrets: argon2id password hashes, and random tokens stored only as SHA-256 hashes. */
import { createHash, randomBytes } from 'node:crypto'
import argon2 from 'argon2'

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id })
}

/** Checks a password against an argon2 hash (false for a missing hash). */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  if (!hash) return false
  try {
    return await argon2.verify(hash, password)
  } catch {
    return false
  }
}

/** A new random secret (URL-safe), optionally with a readable prefix. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url')
}

/** The stored form of a secret: its SHA-256 in hex. Secrets themselves are never stored or logged. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** Minimum password rules, checked wherever a password is set. */
export const passwordRules = { minLength: 10, maxLength: 200 }
