// The Teams tab's entry point: sign-in and theme come from Teams through teams-js; the page is React
// with Fluent UI v9, the components Teams itself is built with.
import { FluentProvider, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from '@fluentui/react-components';
import { app, authentication } from '@microsoft/teams-js';
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { TokenSource } from './api';
import { LocalModeBanner, LocalSignIn, localPeople, type LocalPerson } from './LocalSignIn';
import { MyRequests } from './MyRequests';

const THEMES: Record<string, Theme> = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

function themeFor(name: string | undefined): Theme {
  return THEMES[name ?? 'default'] ?? teamsLightTheme;
}

/** Teams renews the token itself; asking each time is what its documentation recommends. */
const teamsToken = () => authentication.getAuthToken();

function Tab({ initialTheme, locale }: { readonly initialTheme: string | undefined; readonly locale: string }) {
  const [theme, setTheme] = useState(() => themeFor(initialTheme));
  useEffect(() => {
    app.registerOnThemeChangeHandler((name) => setTheme(themeFor(name)));
  }, []);
  return (
    <FluentProvider theme={theme} style={{ minHeight: '100vh', padding: '16px', boxSizing: 'border-box' }}>
      <MyRequests token={teamsToken} locale={locale} />
    </FluentProvider>
  );
}

/** Local mode in a plain browser: pick a demo person first (tab/api/localSignIn.ts). */
function LocalTab({ people }: { readonly people: readonly LocalPerson[] }) {
  const [signedIn, setSignedIn] = useState<{ person: LocalPerson; token: TokenSource } | undefined>();
  return (
    <FluentProvider theme={teamsLightTheme} style={{ minHeight: '100vh', padding: '16px', boxSizing: 'border-box' }}>
      {signedIn ? (
        <>
          <LocalModeBanner person={signedIn.person} />
          <MyRequests token={signedIn.token} locale={navigator.language} />
        </>
      ) : (
        <LocalSignIn people={people} onSignedIn={(person, token) => setSignedIn({ person, token })} />
      )}
    </FluentProvider>
  );
}

/** Outside Teams, where there is no local mode either: say where the tab works. */
function NotInTeams() {
  return (
    <FluentProvider theme={teamsLightTheme} style={{ padding: '16px' }}>
      <p role="alert">Privacy Desk's tab opens inside Microsoft Teams. Open it from the Privacy Desk app in Teams.</p>
    </FluentProvider>
  );
}

/** Teams frames its tabs; a page on its own is in a plain browser (where teams-js would wait a minute for a host). */
function insideAHost(): boolean {
  return window.parent !== window || Boolean(window.opener);
}

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  if (!insideAHost()) {
    const people = await localPeople().catch(() => undefined);
    root.render(
      people ? (
        <StrictMode>
          <LocalTab people={people} />
        </StrictMode>
      ) : (
        <NotInTeams />
      ),
    );
    return;
  }
  try {
    await app.initialize();
    const context = await app.getContext();
    root.render(
      <StrictMode>
        <Tab initialTheme={context.app.theme} locale={context.app.locale || navigator.language} />
      </StrictMode>,
    );
    // Teams hides its loading indicator now; a host that does not answer this is no reason to fail.
    await app.notifySuccess().catch(() => undefined);
  } catch {
    root.render(<NotInTeams />);
  }
}

void start();
