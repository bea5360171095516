import type { Session } from '../db/contract/index.ts';
import { localUser } from '../db/core/localUser.ts';

/** The window acts as the person logged in to this computer, at the desktop. */
export const desktopSession = (): Session => ({ actor: localUser(), surface: 'desktop' });
