import { useRef, useState, type FormEvent } from 'react';
import { scanKinds } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { Field, inputProps } from '../../components/Field.tsx';
import { resolveParcel } from '../../lib/resolveParcel.ts';
import { useCommand } from '../../lib/useCommand.ts';
import { FormFooter } from './FormFooter.tsx';

const fields = ['trackingCode', 'kind'];
// The depot is the one picked above, so its errors show by the code that was scanned.
const aliases = { parcelId: 'trackingCode', depotId: 'trackingCode' };

/** Scan a label: the parcel arrived at or departed from this depot. Enter sends, the field clears for the next label. */
export function ScanForm({ depotId }: { depotId: string }) {
  const { api, live } = useConsole();
  const [code, setCode] = useState('');
  const [kind, setKind] = useState<(typeof scanKinds)[number]>('arrived');
  const command = useCommand(fields, aliases);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    command.setBusy(true);
    const found = await resolveParcel(api, code, live.readOptions());
    if ('error' in found) return command.showFieldError('trackingCode', found.error);
    const ok = await command.send('RecordScan', { parcelId: found.parcel.parcelId, depotId, kind }, () => `${found.parcel.trackingCode} ${kind} at ${depotId}.|${found.parcel.parcelId}`);
    if (ok) setCode('');
    input.current?.focus();
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Record scan">
      <Field id="scan-trackingCode" label="Tracking code" error={command.fieldErrors.trackingCode}>
        <input ref={input} {...inputProps('scan-trackingCode', command.fieldErrors.trackingCode)} className="input input-large mono" value={code} onChange={(event) => setCode(event.target.value.toUpperCase())} autoComplete="off" placeholder="WB000123" autoFocus />
      </Field>
      <fieldset className="segmented" aria-label="Scan kind">
        {scanKinds.map((value) => (
          <label key={value} className={kind === value ? 'active' : ''}>
            <input type="radio" name="kind" value={value} checked={kind === value} onChange={() => setKind(value)} />
            {value === 'arrived' ? 'Arrived here' : 'Departed from here'}
          </label>
        ))}
      </fieldset>
      <FormFooter busy={command.busy} label="Record scan" formError={command.formError} done={command.done} />
    </form>
  );
}
