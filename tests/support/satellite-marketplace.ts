import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The two Satellite API calls a simulated satellite makes to bootstrap, for one project with no
 * plugins and one key: enough for it to turn healthy without the marketplace's table behind it.
 */
export async function serveSatelliteMarketplace(
  projectId: string,
  key: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.headers['x-api-key'] !== key) return send(401, { title: 'Unauthorized' });
    if (req.url === `/v1/projects/${projectId}/config`) return send(200, { plugins: [] });
    if (req.url === `/v1/projects/${projectId}/plugins`) return send(200, { items: [] });
    return send(404, { title: 'Not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
