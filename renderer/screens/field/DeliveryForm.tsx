import { useState, type FormEvent } from 'react';
import { deliveryOutcomes } from '../../../db/contract/index.ts';
import { useConsole } from '../../app/consoleContext.ts';
import { Field, inputProps } from '../../components/Field.tsx';
import { resolveParcel } from '../../lib/resolveParcel.ts';
import { useCommand } from '../../lib/useCommand.ts';
import { FormFooter } from './FormFooter.tsx';

const fields = ['trackingCode', 'outcome', 'reason'];
const aliases = { parcelId: 'trackingCode', routeId: 'trackingCode' };

/** A delivery attempt by tracking code; the route comes from the parcel itself. */
export function DeliveryForm() {
  const { api, live } = useConsole();
  const [code, setCode] = useState('');
  const [outcome, setOutcome] = useState<(typeof deliveryOutcomes)[number]>('delivered');
  const [reason, setReason] = useState('');
  const command = useCommand(fields, aliases);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    command.setBusy(true);
    const found = await resolveParcel(api, code, live.readOptions());
    if ('error' in found) return command.showFieldError('trackingCode', found.error);
    const routeId = found.parcel.routeId;
    if (!routeId) return command.showFieldError('trackingCode', `Parcel ${found.parcel.trackingCode} is not on a route.`);
    const payload = { parcelId: found.parcel.parcelId, routeId, outcome, ...(reason.trim() ? { reason } : {}) };
    const ok = await command.send('RecordDeliveryAttempt', payload, () => `${found.parcel.trackingCode}: ${outcome === 'delivered' ? 'delivered' : 'attempt failed'}.|${found.parcel.parcelId}`);
    if (ok) {
      setCode('');
      setReason('');
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Record delivery attempt">
      <Field id="dl-trackingCode" label="Tracking code" error={command.fieldErrors.trackingCode}>
        <input {...inputProps('dl-trackingCode', command.fieldErrors.trackingCode)} className="input mono" value={code} onChange={(event) => setCode(event.target.value.toUpperCase())} autoComplete="off" />
      </Field>
      <fieldset className="segmented" aria-label="Outcome">
        {deliveryOutcomes.map((value) => (
          <label key={value} className={outcome === value ? 'active' : ''}>
            <input type="radio" name="outcome" value={value} checked={outcome === value} onChange={() => setOutcome(value)} />
            {value === 'delivered' ? 'Delivered' : 'Failed'}
          </label>
        ))}
      </fieldset>
      <Field id="dl-reason" label={outcome === 'failed' ? 'Reason' : 'Reason (only for a failed attempt)'} error={command.fieldErrors.reason}>
        <input {...inputProps('dl-reason', command.fieldErrors.reason)} className="input" value={reason} onChange={(event) => setReason(event.target.value)} placeholder={outcome === 'failed' ? 'Nobody home, no safe place' : ''} />
      </Field>
      <FormFooter busy={command.busy} label="Record attempt" formError={command.formError} done={command.done} />
    </form>
  );
}
