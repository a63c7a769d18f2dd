import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { notFoundResponse } from '../../../platform/errors.js';
import type { AppEnv } from '../../openapi.js';

// The built dashboard (static files with SPA fallback to index.html), or a placeholder page.

const PLACEHOLDER = `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>舆情回应台</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.7;color:#222}</style>
</head>
<body>
<h1>舆情回应台</h1>
<p>服务已启动，但前端控制台尚未构建。</p>
<ul>
<li><a href="/api/health">/api/health</a> — 健康检查</li>
<li><a href="/api/openapi.json">/api/openapi.json</a> — 接口文档（OpenAPI）</li>
</ul>
</body>
</html>
`;

function isApi(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

export function webRoutes(webDir: string | null | undefined) {
  const app = new Hono<AppEnv>();
  const indexFile = webDir ? join(webDir, 'index.html') : null;
  if (!webDir || !existsSync(webDir) || !statSync(webDir).isDirectory()) {
    return app.get('/', (c) => c.html(PLACEHOLDER));
  }
  return app
    .use('*', async (c, next) => (isApi(c.req.path) ? next() : serveStatic<AppEnv>({ root: webDir })(c, next)))
    .get('*', (c) => {
      if (isApi(c.req.path) || !indexFile || !existsSync(indexFile)) return notFoundResponse(c);
      return c.html(readFileSync(indexFile, 'utf8'));
    });
}
