// infra: TypeScript positions in a Lambda function's stack traces, read from its bundle's source map (index.js.map,
// bundling.ts) only when a stack is formatted. NODE_OPTIONS=--enable-source-maps gave the same positions by parsing
// the whole map as the bundle loads, at every cold start (3–19 ms of a function's init in the cold-start bench's
// `+maps` column, docs/benchmarks.md), to serve the rare sandbox whose error stacks are read. bundling.ts injects this
// module into every bundle, ahead of the function's own modules.
//
// V8 formats an error's stack when `stack` is first read (by a logger, or by the Lambda runtime reporting a failed
// invocation), through Error.prepareStackTrace: each frame in the bundle gets its source's line and column, as
// --enable-source-maps gives them. What differs from that flag: the minified function names stay, and a source's
// path is the map's, relative to where the stack was synthesized, without its leading `../`.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

type Frame = NodeJS.CallSite;
type FormatStack = (error: Error, frames: Frame[]) => unknown;

/** a source's path as the map names it (relative to the bundle), without the leading `../` segments */
const sourcePath = (source: string) => source.replace(/^(?:\.\.\/)+/, '');

/** a map that cannot be read for good (none beside the bundle, or not JSON); anything else may pass, and is retried */
const isPermanent = (error: unknown) => error instanceof SyntaxError || (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

/**
 * Installs the hook for the bundle at `bundlePath` (its map beside it, `<bundlePath>.map`). A bundle without a map,
 * or a map that does not parse, leaves its frames as they are.
 */
export function installSourceMappedStacks(bundlePath: string): void {
  // Node's own formatter writes an error's first line (with a Node error's code: `RangeError [ERR_…]: …`)
  const nodeFormat = Error.prepareStackTrace as FormatStack | undefined;
  const headerOf = (error: Error): string => {
    try {
      if (nodeFormat) return String(nodeFormat(error, []));
    } catch {
      // Node's formatter reads `name` and `message`, which an odd error may throw from: V8's own line then
    }
    try {
      return Error.prototype.toString.call(error);
    } catch {
      return '<error>';
    }
  };

  let map: SourceMap | null | undefined;
  const mapOf = (): SourceMap | null => {
    if (map !== undefined) return map;
    try {
      return (map = new SourceMap(JSON.parse(readFileSync(`${bundlePath}.map`, 'utf8'))));
    } catch (error) {
      // a passing fault (too many open files, a stack too deep to read it in) leaves the next stack to try again
      if (isPermanent(error)) map = null;
      return null;
    }
  };

  const frameText = (frame: Frame): string => {
    const text = String(frame);
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (frame.getFileName() !== bundlePath || line === null || column === null) return text;
    // V8's positions count from 1, the map's from 0
    const entry = mapOf()?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine: number; originalColumn: number } | undefined;
    if (typeof entry?.originalSource !== 'string') return text;
    const mapped = `${sourcePath(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
    // a function, not a string: `$&` or `$'` in a source's path is not a replacement pattern
    return text.replace(`${bundlePath}:${line}:${column}`, () => mapped);
  };

  Error.prepareStackTrace = (error, frames) => {
    const lines = frames.map((frame) => {
      try {
        return `    at ${frameText(frame)}`;
      } catch {
        // a stack must come out whatever the map holds
        return `    at ${String(frame)}`;
      }
    });
    return [headerOf(error), ...lines].join('\n');
  };
}

// in a bundle (CommonJS), `__filename` is the bundle itself
if (typeof __filename === 'string') installSourceMappedStacks(__filename);
