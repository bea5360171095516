import { useState, type FormEvent } from 'react';
import { exceptionKinds } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { Field, inputProps } from '../../components/Field.tsx';
import { resolveParcel } from '../../lib/resolveParcel.ts';
import { useCommand } from '../../lib/useCommand.ts';
import { FormFooter } from './FormFooter.tsx';

const fields = ['trackingCode', 'kind', 'note'];
const aliases = { parcelId: 'trackingCode' };
const kindLabels: Record<(typeof exceptionKinds)[number], string> = { damaged: 'Damaged', lost: 'Lost', address_problem: 'Address problem' };

export function ExceptionForm() {
  const { api, live } = useConsole();
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<(typeof exceptionKinds)[number]>('damaged');
  const [note, setNote] = useState('');
  const command = useCommand(fields, aliases);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    command.setBusy(true);
    const found = await resolveParcel(api, code, live.readOptions());
    if ('error' in found) return command.showFieldError('trackingCode', found.error);
    const payload = { parcelId: found.parcel.parcelId, kind, ...(note.trim() ? { note } : {}) };
    const ok = await command.send('ReportException', payload, () => `Reported ${kindLabels[kind].toLowerCase()} for ${found.parcel.trackingCode}.|${found.parcel.parcelId}`);
    if (ok) {
      setCode('');
      setNote('');
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Report exception">
      <Field id="ex-trackingCode" label="Tracking code" error={command.fieldErrors.trackingCode}>
        <input {...inputProps('ex-trackingCode', command.fieldErrors.trackingCode)} className="input mono" value={code} onChange={(event) => setCode(event.target.value.toUpperCase())} autoComplete="off" />
      </Field>
      <Field id="ex-kind" label="What happened" error={command.fieldErrors.kind}>
        <select {...inputProps('ex-kind', command.fieldErrors.kind)} className="input" value={kind} onChange={(event) => setKind(event.target.value as typeof kind)}>
          {exceptionKinds.map((value) => (
            <option key={value} value={value}>
              {kindLabels[value]}
            </option>
          ))}
        </select>
      </Field>
      <Field id="ex-note" label="Note (optional)" error={command.fieldErrors.note}>
        <textarea {...inputProps('ex-note', command.fieldErrors.note)} className="input" rows={3} value={note} onChange={(event) => setNote(event.target.value)} />
      </Field>
      <FormFooter busy={command.busy} label="Report exception" formError={command.formError} done={command.done} />
    </form>
  );
}
