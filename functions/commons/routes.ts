// shared by the HTTP handlers that serve several routes: a table from API Gateway's route key ("METHOD /path") to the
// function that answers it, so that a handler is composition plus one dispatch. A key not in the table is a 404.
import { ApiError } from '../../shared/errors.js';
import type { HttpEvent, HttpResult } from './http.js';

/** answers one route; `context` is what every route of the handler needs first (e.g. the caller's principal) */
export type Route<Context = undefined> = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export function routeTable<Context = undefined>(routes: Record<string, Route<Context>>): Route<Context> {
  return async (event, context) => {
    // own keys only: a route key such as "constructor" must not reach Object.prototype
    const route = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
    if (!route) throw new ApiError(404, 'no such route');
    return route(event, context);
  };
}

/** a handler that resolves first what every route needs (e.g. the caller's principal: a 401 before any route runs) */
export const dispatchWith =
  <Context>(contextOf: (event: HttpEvent) => Promise<Context>, route: Route<Context>) =>
  async (event: HttpEvent): Promise<HttpResult> =>
    route(event, await contextOf(event));
