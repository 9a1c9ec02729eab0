// infra: the CX console's security headers, one definition for the two places that serve it: the CloudFront response
// headers policy (infra/cdk/console-hosting.ts) and the local runtime (infra/local/runtime.ts).
// The page loads only its own script and styles (no inline code: user data is rendered as text, and a CSP that
// forbids inline script makes an injection that slipped through inert) and talks only to itself and the API.

/** the Content-Security-Policy; `apiOrigin` is the HTTP API's origin ('' when the API is on the page's own origin) */
export function consoleContentSecurityPolicy(apiOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${apiOrigin ? ` ${apiOrigin}` : ''}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** the headers the local runtime adds to the console's files (CloudFront adds the same through its policy, with HSTS) */
export function consoleSecurityHeaders(apiOrigin: string): Record<string, string> {
  return {
    'content-security-policy': consoleContentSecurityPolicy(apiOrigin),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}
