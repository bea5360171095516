import { useEffect, useState } from 'react';
import { EventDetailScreen } from '../screens/events/EventDetailScreen.tsx';
import { EventsScreen } from '../screens/events/EventsScreen.tsx';
import { FieldScreen } from '../screens/field/FieldScreen.tsx';
import { OverviewScreen } from '../screens/overview/OverviewScreen.tsx';
import { ParcelDetailScreen } from '../screens/parcel/ParcelDetailScreen.tsx';
import { ParcelsScreen } from '../screens/parcels/ParcelsScreen.tsx';
import { ProjectionsScreen } from '../screens/projections/ProjectionsScreen.tsx';
import { SyncScreen } from '../screens/sync/SyncScreen.tsx';
import { CommandPalette } from './CommandPalette.tsx';
import { useConsole, useSlice } from './consoleContext.ts';
import { parseHash, useHash, type Route } from './route.ts';
import { SeedPrompt } from './SeedPrompt.tsx';
import { ShortcutsHelp } from './ShortcutsHelp.tsx';
import { focusSearch, isTyping, moveThroughTable } from './tableKeys.ts';
import { WriteRefusalBanner } from './WriteRefusalBanner.tsx';
import { Sidebar } from './Sidebar.tsx';

function Screen({ route }: { route: Route }) {
  switch (route.screen) {
    case 'field':
      return <FieldScreen />;
    case 'parcels':
      return <ParcelsScreen query={route.query} />;
    case 'parcel':
      return <ParcelDetailScreen parcelId={route.id ?? ''} />;
    case 'events':
      return <EventsScreen query={route.query} />;
    case 'event':
      return <EventDetailScreen position={Number(route.id)} />;
    case 'projections':
      return <ProjectionsScreen />;
    case 'sync':
      return <SyncScreen />;
    default:
      return <OverviewScreen />;
  }
}

export function App() {
  const { preferences } = useConsole();
  const theme = useSlice(preferences, (state) => state.theme);
  const route = parseHash(useHash());
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setPaletteOpen((open) => !open);
        return;
      }
      // Single keys are shortcuts only outside fields and dialogs, and never with a modifier.
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target) || document.querySelector('[aria-modal="true"]')) return;
      const main = document.querySelector('main') ?? document;
      const shortcuts = new Map<string, () => boolean>([
        ['j', () => moveThroughTable(main, 1)],
        ['k', () => moveThroughTable(main, -1)],
        ['/', () => focusSearch(main)],
        [
          '?',
          () => {
            setHelpOpen(true);
            return true;
          },
        ],
      ]);
      if (shortcuts.get(event.key)?.()) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="app">
      <Sidebar screen={route.screen} onOpenPalette={() => setPaletteOpen(true)} onOpenHelp={() => setHelpOpen(true)} />
      <main className="main">
        <WriteRefusalBanner />
        {route.screen === 'sync' ? null : <SeedPrompt />}
        <Screen key={route.screen === 'parcel' || route.screen === 'event' ? `${route.screen}/${route.id}` : route.screen} route={route} />
      </main>
      <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} />
      {helpOpen ? <ShortcutsHelp onClose={() => setHelpOpen(false)} /> : null}
    </div>
  );
}
