// The bare baseline: a Hono JSON route on @hono/node-server with nothing else, in its own process.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono().get('/json', (c) => c.json({ ok: true, items: [1, 2, 3] }));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => {
  console.log('listening');
});
