// unit: the origin a runner listener is reached at, and whether it may stand for a distribution's https URL (only on
// a loopback host: the functions take plain http nowhere else, so a LAN address would stop them starting)
import { describe, expect, it } from 'vitest';
import { localOrigin } from '../../infra/deployed/local-origin.js';

describe("a runner listener's origin", () => {
  it.each([
    ['127.0.0.1', 'http://127.0.0.1:3100', true],
    ['localhost', 'http://localhost:3100', true],
    ['0.0.0.0', 'http://127.0.0.1:3100', true],
    ['::1', 'http://[::1]:3100', true],
    ['::', 'http://[::1]:3100', true],
    ['192.168.1.5', 'http://192.168.1.5:3100', false],
    ['fe80::1', 'http://[fe80::1]:3100', false],
  ] as const)('bound to %s is %s (stands in: %s)', (host, origin, loopback) => {
    const reached = localOrigin(host, 3100);
    expect(reached).toEqual({ origin, loopback });
    expect(new URL(reached.origin).origin).toBe(origin);
  });
});
