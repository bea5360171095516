import { links } from '../../app/route.ts';

/** Submit button, the error no single field owns, and the confirmation of the last accepted command. */
export function FormFooter({ busy, label, formError, done }: { busy: boolean; label: string; formError: string | null; done: string | null }) {
  return (
    <div className="form-footer">
      <button type="submit" className="button button-primary" disabled={busy}>
        {busy ? 'Sending…' : label}
      </button>
      {formError ? (
        <div className="form-error" role="alert">
          {formError}
        </div>
      ) : null}
      {done && !formError ? <DoneLine text={done} /> : null}
    </div>
  );
}

/** `done` texts may end with `|parcelId`, which becomes a link to the parcel. */
function DoneLine({ text }: { text: string }) {
  const [message, parcelId] = text.split('|');
  return (
    <div className="form-done" role="status">
      ✓ {message}
      {parcelId ? (
        <>
          {' '}
          <a href={links.parcel(parcelId)}>Open parcel</a>
        </>
      ) : null}
    </div>
  );
}
