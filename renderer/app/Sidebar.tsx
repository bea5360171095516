import { Icon, type IconName } from '../components/Icon.tsx';
import { useConsole, useSlice } from './consoleContext.ts';
import { formatCount } from '../lib/format.ts';
import { formatRoute, type ScreenName } from './route.ts';

export const navItems: readonly { screen: ScreenName & IconName; label: string }[] = [
  { screen: 'overview', label: 'Overview' },
  { screen: 'field', label: 'Field work' },
  { screen: 'parcels', label: 'Parcels' },
  { screen: 'events', label: 'Event history' },
  { screen: 'projections', label: 'Projections' },
  { screen: 'sync', label: 'Sync' },
];

const activeFor: Partial<Record<ScreenName, ScreenName>> = { parcel: 'parcels', event: 'events' };

export function Sidebar({ screen, onOpenPalette, onOpenHelp }: { screen: ScreenName; onOpenPalette: () => void; onOpenHelp?: () => void }) {
  const { live, preferences } = useConsole();
  const head = useSlice(live.store, (state) => state.head);
  const connected = useSlice(live.store, (state) => state.connected);
  const theme = useSlice(preferences, (state) => state.theme);
  const active = activeFor[screen] ?? screen;
  return (
    <nav className="sidebar" aria-label="Screens">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">W</span>
        <span className="brand-name">Waybill</span>
      </div>
      <button type="button" className="palette-trigger" onClick={onOpenPalette}>
        <span className="palette-trigger-label">
          <Icon name="search" />
          Jump to…
        </span>
        <kbd>Ctrl K</kbd>
      </button>
      <ul className="nav-list">
        {navItems.map((item) => (
          <li key={item.screen}>
            <a href={formatRoute({ screen: item.screen })} className={`nav-link${item.screen === active ? ' active' : ''}`} aria-current={item.screen === active ? 'page' : undefined}>
              <Icon name={item.screen} />
              {item.label}
            </a>
          </li>
        ))}
      </ul>
      <div className="sidebar-foot">
        <div className="connection" role="status" title={connected ? 'Global position of the newest event in the log' : 'The connection to the Waybill core is down; it reconnects by itself'}>
          <span className={`freshness-dot ${connected ? 'dot-ok' : 'dot-off'}`} aria-hidden="true" />
          {connected ? (head === null ? 'connecting…' : `log head ${formatCount(head)}`) : head === null ? 'connecting…' : 'disconnected · reconnecting…'}
        </div>
        <button type="button" className="button button-ghost theme-toggle" onClick={() => preferences.getState().toggleTheme()}>
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
        {onOpenHelp ? (
          <button type="button" className="button button-ghost theme-toggle" onClick={onOpenHelp}>
            <kbd aria-hidden="true">?</kbd>
            Keyboard shortcuts
          </button>
        ) : null}
      </div>
    </nav>
  );
}
