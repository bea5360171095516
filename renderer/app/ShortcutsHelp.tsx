import { useEffect, useRef } from 'react';
import { Modal } from '../components/Modal.tsx';

/** Every keyboard shortcut, as `?` shows them. */
export const shortcuts: readonly { keys: readonly string[]; what: string }[] = [
  { keys: ['Ctrl', 'K'], what: 'Jump to a screen, a parcel or an event' },
  { keys: ['j'], what: 'Next row of the table' },
  { keys: ['k'], what: 'Previous row of the table' },
  { keys: ['Enter'], what: 'Open the row (a parcel, or an event’s details)' },
  { keys: ['/'], what: 'Search on this screen' },
  { keys: ['?'], what: 'Show these shortcuts' },
  { keys: ['Esc'], what: 'Close this, or the palette' },
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => close.current?.focus(), []);
  return (
    // ? opens it and closes it again.
    <Modal className="palette shortcuts" labelledBy="shortcuts-title" closeKeys={['Escape', '?']} onClose={onClose}>
      <div className="shortcuts-head">
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <button ref={close} type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="shortcuts-list">
        {shortcuts.map((shortcut) => (
          <div key={shortcut.what} className="shortcut">
            <dt>
              {shortcut.keys.map((key) => (
                <kbd key={key}>{key}</kbd>
              ))}
            </dt>
            <dd>{shortcut.what}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
