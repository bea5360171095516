import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A device's secret: 32 random bytes, base64url. The server keeps only its sha256. */
export const newDeviceSecret = (): string => randomBytes(32).toString('base64url');

/** Letters and digits a person cannot misread (no 0/O, 1/I/L, U). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

/** A one-time enrolment code to type on the laptop: three groups of four (about 59 bits). */
export function newEnrolmentCode(): string {
  const chars = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!);
  return [0, 4, 8].map((at) => chars.slice(at, at + 4).join('')).join('-');
}

/** The code as it is hashed: case, spaces and dashes as typed do not matter. */
export const normalizeEnrolmentCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

/** Compares two sha256 hex digests in constant time. */
export function digestsMatch(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
