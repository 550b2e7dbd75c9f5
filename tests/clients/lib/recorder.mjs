// A recording proxy for OTLP/HTTP: forwards every request to ccanalytics unchanged and keeps a
// copy of each body with its headers, so tests compare ccanalytics' answers with exactly what
// the client sent.

import { createServer } from 'node:http';

export async function startRecorder(target) {
  const requests = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers = {};
      for (const name of ['content-type', 'content-encoding', 'authorization']) if (request.headers[name]) headers[name] = request.headers[name];
      try {
        const upstream = await fetch(`${target}${request.url}`, { method: request.method, headers, body: request.method === 'POST' ? body : undefined });
        const answer = Buffer.from(await upstream.arrayBuffer());
        requests.push({
          path: new URL(request.url, 'http://recorder').pathname,
          contentType: headers['content-type'] ?? '',
          contentEncoding: headers['content-encoding'] ?? '',
          userAgent: request.headers['user-agent'] ?? '',
          body,
          status: upstream.status,
          answer,
        });
        response.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
        response.end(answer);
      } catch (error) {
        response.writeHead(502);
        response.end(String(error));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
