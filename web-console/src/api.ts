// console: the HTTP API, as the public routes offer it (the same against the local runtime and the cloud). The bearer
// token is read from sessionStorage on each call; nothing else is stored.

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: { error?: string; details?: { path: string; reason: string }[]; current?: unknown } | undefined,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'fbc:token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** a problem as one line for people: the API's error and its details, or the status */
export function describeProblem(error: unknown, networkError: string): string {
  if (error instanceof ApiProblem) {
    const details = error.body?.details?.map((d) => (d.path ? `${d.path}: ${d.reason}` : d.reason)).join('; ');
    return [error.body?.error ?? `HTTP ${error.status}`, details].filter(Boolean).join(': ');
  }
  return networkError;
}

export function createApi(baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  async function call(method: string, path: string, params?: URLSearchParams, body?: unknown, token = session.token()): Promise<Response> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const query = params && [...params.keys()].length ? `?${params}` : '';
    const response = await fetch(`${base}${path}${query}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) {
      const text = await response.text();
      let parsed: ApiProblem['body'];
      try {
        parsed = text ? (JSON.parse(text) as ApiProblem['body']) : undefined;
      } catch {
        parsed = undefined;
      }
      throw new ApiProblem(response.status, parsed?.error ?? `HTTP ${response.status}`, parsed);
    }
    return response;
  }
  return {
    /** a path on the API as an absolute URL, to give to someone (the API is this page's origin when no base is set) */
    href: (path: string) => new URL(`${base}${path}`, location.href).href,
    get: async <T>(path: string, params?: URLSearchParams, token?: string): Promise<T> => (await call('GET', path, params, undefined, token)).json() as Promise<T>,
    post: async <T>(path: string, body?: unknown): Promise<T> => (await call('POST', path, undefined, body)).json() as Promise<T>,
    /** a download: its text and headers */
    text: async (path: string, params?: URLSearchParams) => {
      const response = await call('GET', path, params);
      return { text: await response.text(), headers: response.headers };
    },
  };
}

export type Api = ReturnType<typeof createApi>;

/** a path segment from user-chosen ids */
export const seg = encodeURIComponent;
