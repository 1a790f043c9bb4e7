// Bundles the Teams tab's page (tab/web/) with esbuild into one script beside its index.html:
//   node --import tsx scripts/buildTab.ts [--out-dir DIR]     (default dist/tab/web; npm run build runs it)
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { projectPath } from '../app/projectRoot';
import { TAB_WEB_BUILD_DIR } from '../tab/tabPage';

/** Writes index.html and main.js (minified, with a source map) into `outDir`. */
export async function buildTabWeb(outDir: string = projectPath(TAB_WEB_BUILD_DIR)): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [projectPath('tab/web/main.tsx')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    // The map names the files and lines; the sources themselves stay out (they would make it 18 MB).
    sourcesContent: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2022'],
    jsx: 'automatic',
    tsconfig: projectPath('tab/web/tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'linked',
    logLevel: 'warning',
  });
  copyFileSync(projectPath('tab/web/index.html'), join(outDir, 'index.html'));
}

if (require.main === module) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  buildTabWeb(values['out-dir']).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
