import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from './consoleContext.ts';
import { formatRoute, links, navigate } from './route.ts';
import { navItems } from './Sidebar.tsx';

interface Action {
  id: string;
  label: string;
  hint: string;
  run(): Promise<string | null> | string | null;
}

const go = (hash: string): null => {
  navigate(hash);
  return null;
};

/** Ctrl/Cmd+K: jump to any screen, a parcel by tracking code or id, or an event by position. */
export function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const api = useApi();
  const [text, setText] = useState('');
  const [selected, setSelected] = useState(0);
  const [message, setMessage] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (open) {
      setText('');
      setSelected(0);
      setMessage(null);
      requestAnimationFrame(() => input.current?.focus());
    }
  }, [open]);

  const actions = useMemo<Action[]>(() => {
    const term = text.trim();
    const found: Action[] = [];
    if (/^\d+$/.test(term)) {
      found.push({ id: 'event', label: `Event #${term}`, hint: 'event by position', run: () => go(links.event(Number(term))) });
    }
    if (term.length >= 3) {
      const code = term.toUpperCase();
      found.push({
        id: 'tracking',
        label: `Parcel ${code}`,
        hint: 'tracking code or parcel id',
        run: async () => {
          const byCode = /^[A-Z0-9]{6,20}$/.test(code) ? await api.call('parcel.summary', { params: { trackingCode: code } }) : null;
          if (byCode?.ok && byCode.data) return go(links.parcel(byCode.data.parcelId));
          const byId = await api.call('parcel.summary', { params: { parcelId: term } });
          if (byId.ok && byId.data) return go(links.parcel(byId.data.parcelId));
          return `No parcel has tracking code or id “${term}”.`;
        },
      });
      found.push({ id: 'search', label: `Search parcels for “${term}”`, hint: 'full-text search', run: () => go(formatRoute({ screen: 'parcels', query: { search: term } })) });
    }
    const lower = term.toLowerCase();
    for (const item of navItems) {
      if (!lower || item.label.toLowerCase().includes(lower)) {
        found.push({ id: item.screen, label: item.label, hint: 'screen', run: () => go(formatRoute({ screen: item.screen })) });
      }
    }
    return found;
  }, [api, text]);

  if (!open) return null;
  const choose = async (action: Action | undefined) => {
    if (!action) return;
    const problem = await action.run();
    if (problem) setMessage(problem);
    else onClose();
  };
  return (
    <div className="palette-backdrop" onMouseDown={onClose}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" onMouseDown={(event) => event.stopPropagation()}>
        <input
          ref={input}
          className="palette-input"
          placeholder="Tracking code, parcel id, event position, or a screen…"
          value={text}
          aria-label="Jump to"
          onChange={(event) => {
            setText(event.target.value);
            setSelected(0);
            setMessage(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') onClose();
            else if (event.key === 'ArrowDown') setSelected((index) => Math.min(actions.length - 1, index + 1));
            else if (event.key === 'ArrowUp') setSelected((index) => Math.max(0, index - 1));
            else if (event.key === 'Enter') void choose(actions[selected]);
            else return;
            event.preventDefault();
          }}
        />
        {message ? <div className="palette-message">{message}</div> : null}
        <ul className="palette-list" role="listbox">
          {actions.map((action, index) => (
            <li key={action.id} role="option" aria-selected={index === selected} className={index === selected ? 'selected' : ''} onMouseEnter={() => setSelected(index)} onClick={() => void choose(action)}>
              <span>{action.label}</span>
              <span className="palette-hint">{action.hint}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
