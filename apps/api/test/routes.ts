import type { INestApplication } from '@nestjs/common';

export interface RegisteredRoute {
  method: string;
  /** Express pattern, e.g. `/v1/experiments/:id`. */
  path: string;
}

/**
 * Paths registered outside Nest controllers: Swagger UI and the document itself, and the catch-all not-found
 * handler (`/{*path}`, every method).
 */
const NOT_CONTROLLER = /^\/(docs|openapi\.(json|yaml))(\/|$)|^\/\{\*/;

/** Every route the HTTP router knows, read from Express itself (what actually answers requests). */
export function registeredRoutes(app: INestApplication): RegisteredRoute[] {
  const instance = app.getHttpAdapter().getInstance() as {
    router?: { stack: Layer[] };
    _router?: { stack: Layer[] };
  };
  const stack = (instance.router ?? instance._router)?.stack ?? [];
  const out: RegisteredRoute[] = [];
  for (const layer of stack) {
    const route = layer.route;
    if (!route || typeof route.path !== 'string' || NOT_CONTROLLER.test(route.path)) continue;
    for (const [method, on] of Object.entries(route.methods)) {
      if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: route.path });
    }
  }
  return out.sort((a, b) => routeKey(a).localeCompare(routeKey(b)));
}

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

export function routeKey(r: RegisteredRoute): string {
  return `${r.method} ${r.path}`;
}

/** `/v1/experiments/:id` → `/v1/experiments/{id}` (OpenAPI path template). */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
