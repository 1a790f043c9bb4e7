/**
 * Local mode's launchers, in the one module app/main.ts loads when local mode starts (and never in
 * production). Everything here needs development dependencies (Azurite, the Agents Playground) and
 * files that only the source tree has; the production build leaves local/ out (decision 0021).
 * The import below is of a type only: it is erased, so loading this module does not run app/main.ts.
 */
import type { LocalModeTools } from '../app/main';
import { startAzurite } from './azurite/startAzurite';
import { seedDemoData } from './demo/seedDemoData';
import { startPlayground } from './playground/startPlayground';
import { buildTabWeb } from '../scripts/buildTab';

export const localModeTools = { startAzurite, seedDemoData, startPlayground, buildTabPage: buildTabWeb } satisfies LocalModeTools;
