import { useState, type FormEvent } from 'react';
import { syncJoinRequestSchema } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { Field, inputProps } from '../../components/Field.tsx';

type JoinField = 'server' | 'code';
const fields: readonly string[] = ['server', 'code'];
const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/** Enrols this data folder with a sync server, with the one-time code the office gave for it. */
export function JoinForm() {
  const { api, live } = useConsole();
  const [server, setServer] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<JoinField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const input = { server: server.trim(), code: code.trim() };
    const local = syncJoinRequestSchema.safeParse(input);
    if (!local.success) {
      const issue = local.error.issues[0]!;
      return setErrors({ [String(issue.path[0])]: sentence(issue.message) });
    }
    setErrors({});
    setBusy(true);
    const answer = await api.call('sync.join', input);
    setBusy(false);
    if (answer.ok) return live.noteSync(answer.status);
    const field = answer.error.field;
    if (field && fields.includes(field)) setErrors({ [field]: sentence(answer.error.message.replace(new RegExp(`^${field} `), '')) });
    else setFormError(answer.error.message);
  };

  return (
    <form className="form join-form" onSubmit={submit} noValidate aria-label="Join a sync server">
      <p className="muted join-intro">
        This laptop keeps its own log and works offline. Joined to the office’s sync server, it sends what is recorded here and receives what the other laptops record.
      </p>
      <div className="form-grid">
        <Field id="join-server" label="Server URL" error={errors.server} hint="The address the office gave you, such as https://sync.example.org">
          <input {...inputProps('join-server', errors.server)} className="input" type="url" inputMode="url" autoComplete="url" spellCheck={false} value={server} onChange={(e) => setServer(e.target.value)} placeholder="https://" />
        </Field>
        <Field id="join-code" label="One-time code" error={errors.code} hint="Given once for this laptop by whoever runs the server">
          <input {...inputProps('join-code', errors.code)} className="input mono" autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <div className="form-footer">
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Joining…' : 'Join the server'}
          </button>
          {formError ? (
            <div className="form-error" role="alert">
              {formError}
            </div>
          ) : null}
        </div>
      </div>
    </form>
  );
}
