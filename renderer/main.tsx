import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { config as configureZod } from 'zod';
import { resolveApi } from './api/index.ts';
import { App } from './app/App.tsx';
import { ConsoleContext } from './app/consoleContext.ts';
import { createConsoleStores } from './stores/consoleStores.ts';
import './styles/theme.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/screens.css';

// The page's CSP forbids eval; tell zod not to try its compiled fast path.
configureZod({ jitless: true });

const stores = createConsoleStores(resolveApi(), {
  storage: window.localStorage,
  prefersDark: window.matchMedia('(prefers-color-scheme: dark)').matches,
});
void stores.live.start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConsoleContext.Provider value={stores}>
      <App />
    </ConsoleContext.Provider>
  </StrictMode>,
);
