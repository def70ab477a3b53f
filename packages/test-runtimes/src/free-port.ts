/**
 * A free TCP port on 127.0.0.1, for a server that must be told its address
 * up front (workerd reads it from its config) rather than taking port 0.
 * @module
 */
import { createServer } from 'node:net';

/** A port the kernel just handed out on 127.0.0.1 (and that was closed again). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
