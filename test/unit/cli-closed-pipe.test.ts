// unit: the CLI in a pipeline whose reader stops early (`npm run cli -- responses demo | head`): the closed pipe ends the
// CLI quietly with success, not with an EPIPE stack trace.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS } from '../support/cli.js';

describe('the CLI writing to a closed pipe', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('exits 0 and prints nothing on stderr', async () => {
    // Prepare: the reader's end closed before the CLI writes its first line
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    // Act
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
