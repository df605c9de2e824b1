import { createServer } from 'node:http';

const version = process.env.APP_VERSION ?? 'dev';
createServer((req, res) => {
  const body =
    req.url === '/healthz' ? { status: 'ok' } : req.url === '/api/version' ? { version } : undefined;
  res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body ?? { error: 'not found' }));
}).listen(8080);
