// The --require preload that keeps the Agents Playground on 127.0.0.1: every listen() form without a
// host (or with a wildcard host) ends up on loopback; explicit hosts and pipes are left alone.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOOPBACK_PRELOAD } from '../../../local/playground/startPlayground';

const run = promisify(execFile);

const PROBE = `
const net = require('node:net'), http = require('node:http');
const forms = {
  'listen(0, cb)': (s, cb) => s.listen(0, cb),
  'listen(cb)': (s, cb) => s.listen(cb),
  'listen()': (s, cb) => { s.once('listening', cb); s.listen(); },
  'listen({port:0}, cb)': (s, cb) => s.listen({ port: 0 }, cb),
  'listen("0", cb)': (s, cb) => s.listen('0', cb),
  'listen(0, 511, cb)': (s, cb) => s.listen(0, 511, cb),
  'listen(0, undefined, undefined, cb) (ws style)': (s, cb) => s.listen(0, undefined, undefined, cb),
  'listen(0, "0.0.0.0", cb)': (s, cb) => s.listen(0, '0.0.0.0', cb),
  'listen({port:0, host:"::"}, cb)': (s, cb) => s.listen({ port: 0, host: '::' }, cb),
  'http listen(0, cb)': null,
  'explicit 127.0.0.2': (s, cb) => s.listen(0, '127.0.0.2', cb),
};
(async () => {
  const out = {};
  for (const [name, listen] of Object.entries(forms)) {
    const server = name.startsWith('http') ? http.createServer() : net.createServer();
    await new Promise((res) => (listen || ((s, cb) => s.listen(0, cb)))(server, res));
    out[name] = server.address().address;
    await new Promise((res) => server.close(res));
  }
  const pipe = net.createServer();
  await new Promise((res) => pipe.listen(process.argv[1], res));
  out.pipe = pipe.address();
  await new Promise((res) => pipe.close(res));
  console.log(JSON.stringify(out));
})();
`;

describe('local/playground/loopbackPreload.cjs', () => {
  it('rewrites host-less and wildcard listen() calls to 127.0.0.1, leaves explicit hosts and pipes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pg-preload-'));
    try {
      const pipe = join(dir, 'probe.sock');
      const { stdout } = await run(process.execPath, ['--require', LOOPBACK_PRELOAD, '-e', PROBE, pipe], { env: { PATH: process.env.PATH } });
      const addresses = JSON.parse(stdout) as Record<string, unknown>;
      for (const [form, address] of Object.entries(addresses)) {
        if (form === 'explicit 127.0.0.2') assert.equal(address, '127.0.0.2', form);
        else if (form === 'pipe') assert.equal(address, pipe, form);
        else assert.equal(address, '127.0.0.1', form);
      }
      assert.equal(Object.keys(addresses).length, 12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a non-loopback PLAYGROUND_LISTEN_HOST', async () => {
    await assert.rejects(
      run(process.execPath, ['--require', LOOPBACK_PRELOAD, '-e', '0'], { env: { PATH: process.env.PATH, PLAYGROUND_LISTEN_HOST: '0.0.0.0' } }),
      /must be a loopback address/,
    );
  });
});
