import { Command, defaultFilter } from 'cmdk';
import { useEffect, useState } from 'react';
import { Modal } from '../components/Modal.tsx';
import { useApi, useConsole } from './consoleContext.ts';
import { formatRoute, links, navigate } from './route.ts';
import { navItems } from './Sidebar.tsx';

interface Action {
  id: string;
  label: string;
  hint: string;
  /** Words it is also found by (the fuzzy match looks at the label and these). */
  keywords?: string[];
  /** Shown whatever is typed, after the matches: it is made from the text itself. */
  always?: boolean;
  /** Null when done (the palette closes), or what went wrong (it stays open and says so). */
  run(): Promise<string | null> | string | null;
}

const go = (hash: string): null => {
  navigate(hash);
  return null;
};

/**
 * Ctrl/Cmd+K: jump to any screen, a parcel by tracking code or id, an event by position, or run an
 * action (rebuild, sync now, theme). On cmdk: a combobox with the active option announced, fuzzy
 * matching, the selection kept in view; focus stays in the dialog until it closes.
 */
export function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const api = useApi();
  const { preferences } = useConsole();
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      setText('');
      setMessage(null);
    }
  }, [open]);

  const term = text.trim();
  const found: Action[] = [];
  for (const item of navItems) found.push({ id: `screen-${item.screen}`, label: item.label, hint: 'screen', keywords: [item.screen], run: () => go(formatRoute({ screen: item.screen })) });
  found.push(
    {
      id: 'rebuild',
      label: 'Rebuild every read model',
      hint: 'action',
      keywords: ['projections', 'replay'],
      run: async () => {
        const answer = await api.call('rebuild', {});
        return answer.ok ? go(formatRoute({ screen: 'projections' })) : answer.error.message;
      },
    },
    {
      id: 'sync-now',
      label: 'Sync now',
      hint: 'action',
      keywords: ['push', 'pull', 'server'],
      run: async () => {
        const answer = await api.call('sync.now', {});
        return answer.ok ? go(formatRoute({ screen: 'sync' })) : answer.error.message;
      },
    },
    {
      id: 'theme',
      label: preferences.getState().theme === 'dark' ? 'Light theme' : 'Dark theme',
      hint: 'action',
      keywords: ['colours', 'appearance'],
      run: () => {
        preferences.getState().toggleTheme();
        return null;
      },
    },
  );

  if (/^\d+$/.test(term)) found.push({ id: 'event', label: `Event #${term}`, hint: 'event by position', always: true, run: () => go(links.event(Number(term))) });
  if (term.length >= 3) {
    const code = term.toUpperCase();
    found.push({
      id: 'tracking',
      label: `Parcel ${code}`,
      hint: 'tracking code or parcel id',
      always: true,
      run: async () => {
        const byCode = /^[A-Z0-9]{6,20}$/.test(code) ? await api.call('parcel.summary', { params: { trackingCode: code } }) : null;
        if (byCode?.ok && byCode.data) return go(links.parcel(byCode.data.parcelId));
        const byId = await api.call('parcel.summary', { params: { parcelId: term } });
        if (byId.ok && byId.data) return go(links.parcel(byId.data.parcelId));
        return `No parcel has tracking code or id “${term}”.`;
      },
    });
    found.push({ id: 'search', label: `Search parcels for “${term}”`, hint: 'full-text search', always: true, run: () => go(formatRoute({ screen: 'parcels', query: { search: term } })) });
  }
  // cmdk's own fuzzy score, applied here so the items made from the text come after the real matches.
  const scored = found.filter((a) => !a.always).map((action) => ({ action, score: term ? defaultFilter(action.label, term, action.keywords) : 1 }));
  const shown = [...scored.filter((s) => s.score > 0).sort((a, b) => b.score - a.score).map((s) => s.action), ...found.filter((a) => a.always)];

  const choose = async (action: Action) => {
    const problem = await action.run();
    if (problem) setMessage(problem);
    else onClose();
  };
  if (!open) return null;
  return (
    <Modal className="palette" label="Command palette" onClose={onClose}>
      <Command label="Jump to" loop shouldFilter={false}>
        <Command.Input
          autoFocus
          className="palette-input"
          placeholder="Tracking code, parcel id, event position, a screen or an action…"
          value={text}
          onValueChange={(value) => {
            setText(value);
            setMessage(null);
          }}
        />
        {message ? (
          <div className="palette-message" role="alert">
            {message}
          </div>
        ) : null}
        <Command.List className="palette-list" label="Matches">
          <Command.Empty className="palette-empty">Nothing matches “{term}”.</Command.Empty>
          {shown.map((action) => (
            <Command.Item key={action.id} value={action.id} onSelect={() => void choose(action)}>
              <span>{action.label}</span>
              <span className="palette-hint">{action.hint}</span>
            </Command.Item>
          ))}
        </Command.List>
      </Command>
    </Modal>
  );
}
