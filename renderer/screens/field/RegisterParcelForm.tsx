import { useState, type FormEvent } from 'react';
import type { CommandPayload, DepotBoardRow } from '../../../db/contract/index.ts';
import { Field, inputProps } from '../../components/Field.tsx';
import { newEntityId } from '../../lib/commandMeta.ts';
import { useCommand } from '../../lib/useCommand.ts';
import { FormFooter } from './FormFooter.tsx';

const fields = ['trackingCode', 'recipient.name', 'recipient.phone', 'recipient.street', 'recipient.city', 'recipient.postcode', 'destinationDepotId', 'weightKg', 'description'];

const blank = { trackingCode: '', name: '', phone: '', street: '', city: '', postcode: '', destinationDepotId: '', weightKg: '', description: '' };
type Draft = typeof blank;

function toPayload(draft: Draft, originDepotId: string): CommandPayload<'RegisterParcel'> {
  const optional = (value: string) => (value.trim() === '' ? undefined : value);
  const phone = optional(draft.phone);
  const description = optional(draft.description);
  return {
    parcelId: newEntityId('P'),
    trackingCode: draft.trackingCode.trim(),
    recipient: { name: draft.name, street: draft.street, city: draft.city, postcode: draft.postcode, ...(phone ? { phone } : {}) },
    originDepotId,
    destinationDepotId: draft.destinationDepotId || originDepotId,
    weightKg: draft.weightKg.trim() === '' ? Number.NaN : Number(draft.weightKg),
    ...(description ? { description } : {}),
  };
}

/** Registers a parcel at this depot. Every error is shown by its field; nothing is sent until the shape is right. */
export function RegisterParcelForm({ originDepotId, depots }: { originDepotId: string; depots: readonly DepotBoardRow[] }) {
  const [draft, setDraft] = useState<Draft>(blank);
  const command = useCommand(fields);
  const error = command.fieldErrors;
  const bind = (key: keyof Draft, id: string, errorKey: string) => ({
    ...inputProps(id, error[errorKey]),
    className: 'input',
    value: draft[key],
    onChange: (event: { target: { value: string } }) => setDraft((previous) => ({ ...previous, [key]: event.target.value })),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const payload = toPayload(draft, originDepotId);
    const ok = await command.send('RegisterParcel', payload, () => `Registered ${payload.trackingCode}.|${payload.parcelId}`);
    if (ok) setDraft(blank);
  };

  return (
    <form className="form form-grid" onSubmit={submit} noValidate aria-label="Register parcel">
      <Field id="rp-trackingCode" label="Tracking code" error={error.trackingCode}>
        <input {...bind('trackingCode', 'rp-trackingCode', 'trackingCode')} className="input mono" autoComplete="off" placeholder="From the label, e.g. WB000123" onChange={(event) => setDraft((previous) => ({ ...previous, trackingCode: event.target.value.toUpperCase() }))} />
      </Field>
      <Field id="rp-weight" label="Weight (kg)" error={error.weightKg}>
        <input {...bind('weightKg', 'rp-weight', 'weightKg')} inputMode="decimal" />
      </Field>
      <Field id="rp-name" label="Recipient" error={error['recipient.name']}>
        <input {...bind('name', 'rp-name', 'recipient.name')} autoComplete="off" />
      </Field>
      <Field id="rp-phone" label="Phone (optional)" error={error['recipient.phone']}>
        <input {...bind('phone', 'rp-phone', 'recipient.phone')} autoComplete="off" />
      </Field>
      <Field id="rp-street" label="Street" error={error['recipient.street']}>
        <input {...bind('street', 'rp-street', 'recipient.street')} autoComplete="off" />
      </Field>
      <Field id="rp-city" label="City" error={error['recipient.city']}>
        <input {...bind('city', 'rp-city', 'recipient.city')} autoComplete="off" />
      </Field>
      <Field id="rp-postcode" label="Postcode" error={error['recipient.postcode']}>
        <input {...bind('postcode', 'rp-postcode', 'recipient.postcode')} autoComplete="off" />
      </Field>
      <Field id="rp-destination" label="Destination depot" error={error.destinationDepotId}>
        <select {...bind('destinationDepotId', 'rp-destination', 'destinationDepotId')}>
          <option value="">Same as this depot</option>
          {depots.map((depot) => (
            <option key={depot.depotId} value={depot.depotId}>
              {depot.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="rp-description" label="Description (optional)" error={error.description}>
        <input {...bind('description', 'rp-description', 'description')} autoComplete="off" />
      </Field>
      <FormFooter busy={command.busy} label="Register parcel" formError={command.formError} done={command.done} />
    </form>
  );
}
