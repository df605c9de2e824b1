import net from 'node:net';

/**
 * A loopback port nobody listens on right now, for a server that takes its port from a config or a flag
 * (a registry, Prometheus) rather than listening on port 0 itself, or for a port that must refuse.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
