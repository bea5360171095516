import { userInfo } from 'node:os';

/** The person logged in to this computer: who a host acts as until profiles sign in. */
export function localUser(): string {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // no passwd entry (a container, say): the environment's name
  }
  return process.env.USER ?? process.env.USERNAME ?? 'operator';
}
