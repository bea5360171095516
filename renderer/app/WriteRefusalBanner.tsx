import { Icon } from '../components/Icon.tsx';
import { useConsole, useSlice } from './consoleContext.ts';

/** Says, on every screen, that this session records nothing and why, before anyone fills in a form. */
export function WriteRefusalBanner() {
  const { live } = useConsole();
  const refusal = useSlice(live.store, (state) => state.writeRefusal);
  if (!refusal) return null;
  const damaged = refusal.code === 'CORRUPT';
  return (
    <section className={`refusal-banner ${damaged ? 'refusal-danger' : ''}`} role="status" data-testid="write-refusal">
      <Icon name="lock" />
      <div>
        <strong>{damaged ? 'The event log is damaged: nothing can be recorded' : 'Read-only: nothing can be recorded'}</strong>
        <p>
          {damaged
            ? refusal.message
            : 'This data folder is open read-only, so the read models show what they held when it was opened. Everything recorded can still be looked at; to record again, make the folder writable and open it normally.'}
        </p>
      </div>
    </section>
  );
}
