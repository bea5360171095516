import { useCallback, useState } from 'react';
import { commandPayloadSchemas, type CommandPayload, type CommandType } from '../../db/contract/index.ts';
import { useConsole } from '../app/consoleContext.ts';
import { commandRequest } from './commandMeta.ts';

export interface CommandFormState {
  busy: boolean;
  /** Errors by payload field path (`trackingCode`, `recipient.name`). */
  fieldErrors: Record<string, string>;
  /** An error no field on the form can show. */
  formError: string | null;
  /** What the last accepted command did, for the confirmation line. */
  done: string | null;
}

const idle: CommandFormState = { busy: false, fieldErrors: {}, formError: null, done: null };

/** Readable message for a field error: the core prefixes the path, which the label already shows. */
function fieldMessage(message: string, field: string): string {
  const trimmed = message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
}

/**
 * Sends one command for a form. Shape errors are caught locally with the contract's own schemas;
 * rule errors come back from the core. Either way the error lands next to its field and nothing
 * else on screen changes; on success `onAccepted` gets the log position to wait for.
 */
export function useCommand(fields: readonly string[], aliases: Readonly<Record<string, string>> = {}) {
  const { api, live } = useConsole();
  const [state, setState] = useState<CommandFormState>(idle);

  const send = useCallback(
    async <T extends CommandType>(type: T, payload: CommandPayload<T>, onAccepted: (position: number) => string | void): Promise<boolean> => {
      /** `reported` is a payload field path; `named` the path the message starts with, when it differs. */
      const fail = (message: string, reported: string | undefined, named = reported) => {
        const field = reported === undefined ? undefined : (aliases[reported] ?? reported);
        if (field !== undefined && fields.includes(field)) {
          setState({ busy: false, fieldErrors: { [field]: fieldMessage(message, named ?? field) }, formError: null, done: null });
        } else setState({ busy: false, fieldErrors: {}, formError: message, done: null });
        return false;
      };
      const local = commandPayloadSchemas[type].safeParse(payload);
      if (!local.success) {
        const issue = local.error.issues[0]!;
        const field = issue.path.map(String).join('.');
        return fail(issue.code === 'invalid_type' ? 'Required.' : issue.message, field);
      }
      setState((previous) => ({ ...previous, busy: true, formError: null }));
      const result = await api.call('command', commandRequest(type, payload));
      if (!result.ok) {
        live.noteRefusal(result.error);
        // The core names fields from the request's root (`payload.recipient.name`); the form's are the payload's.
        const named = result.error.field;
        return fail(result.error.message, named?.startsWith('payload.') ? named.slice('payload.'.length) : named, named);
      }
      live.noteWrite(result.position);
      const done = onAccepted(result.position);
      setState({ busy: false, fieldErrors: {}, formError: null, done: done || null });
      return true;
    },
    [api, live, fields, aliases],
  );

  const reset = useCallback(() => setState(idle), []);
  /** For checks the form makes itself before any command, such as looking up a tracking code. */
  const showFieldError = useCallback((field: string, message: string) => {
    setState({ busy: false, fieldErrors: { [field]: message }, formError: null, done: null });
  }, []);
  const setBusy = useCallback((busy: boolean) => setState((previous) => ({ ...previous, busy })), []);
  return { ...state, send, reset, showFieldError, setBusy };
}
