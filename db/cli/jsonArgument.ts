import { readFileSync } from 'node:fs';
import { WaybillError } from '../contract/waybillError.ts';

/** A JSON option's value: the JSON itself, or `@FILE` to read it from a file. */
export function jsonArgument(value: string, option: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch (error) {
      throw new WaybillError('VALIDATION', `--${option} ${value}: the file cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, { field: option });
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new WaybillError('VALIDATION', `--${option} is not valid JSON${value.startsWith('@') ? ` (in ${value.slice(1)})` : ''}.`, { field: option });
  }
}

/** A whole-number option, or undefined when it was not given. */
export function integerArgument(value: string | boolean | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number)) throw new WaybillError('VALIDATION', `--${option} must be a whole number.`, { field: option });
  return number;
}

export function requiredString(value: string | boolean | undefined, option: string): string {
  if (typeof value !== 'string' || value === '') throw new WaybillError('VALIDATION', `--${option} is required.`, { field: option });
  return value;
}
