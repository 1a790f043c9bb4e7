import { strict as assert } from 'node:assert';
import { isLoopbackAddress } from '../../../bot/http/server';

describe('isLoopbackAddress: a caller on this machine', () => {
  it('is 127.0.0.0/8, ::1, or IPv4 loopback mapped into IPv6', () => {
    for (const address of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopbackAddress(address), true, address);
  });

  it('is nothing else, and not an unknown address', () => {
    for (const address of [undefined, '', '10.0.0.4', '192.168.1.2', '::ffff:10.0.0.4', 'fe80::1', '128.0.0.1', '127.0.0.1.evil', '::2']) {
      assert.equal(isLoopbackAddress(address), false, String(address));
    }
  });
});
