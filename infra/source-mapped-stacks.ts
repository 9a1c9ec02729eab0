// infra: TypeScript positions in a Lambda function's stack traces, read from its bundle's source map (index.js.map,
// bundling.ts) only when a stack is formatted. NODE_OPTIONS=--enable-source-maps gave the same positions by parsing
// the whole map as the bundle loads: 10–14 ms of every cold start for a 100–170 KB bundle (docs/benchmarks.md), to
// serve the rare sandbox whose error stacks are read. bundling.ts injects this module into every bundle, ahead of the
// function's own modules.
//
// V8 formats an error's stack when `stack` is first read (by a logger, or by the Lambda runtime reporting a failed
// invocation), through Error.prepareStackTrace: each frame in the bundle gets its source's position, as
// --enable-source-maps writes it. The minified function names stay: positions are what lead to the line.
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

type Frame = NodeJS.CallSite;

/** a source's path as the map names it (relative to the bundle), without the leading `../` segments */
const sourcePath = (source: string) => source.replace(/^(?:\.\.\/)+/, '');

/** the V8 format of an error's first line, which a custom prepareStackTrace must write itself */
function headerOf(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

/**
 * Installs the hook for the bundle at `bundlePath` (its map beside it, `<bundlePath>.map`). A bundle without a map,
 * or a map that does not parse, leaves its frames as they are.
 */
export function installSourceMappedStacks(bundlePath: string): void {
  let map: SourceMap | null | undefined;
  const mapOf = (): SourceMap | null => {
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(`${bundlePath}.map`, 'utf8')));
      } catch {
        map = null;
      }
    }
    return map;
  };

  const frameText = (frame: Frame): string => {
    const text = String(frame);
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (frame.getFileName() !== bundlePath || line === null || column === null) return text;
    const entry = mapOf()?.findEntry(line - 1, column - 1);
    if (!entry || !('originalSource' in entry)) return text;
    return text.replace(`${bundlePath}:${line}:${column}`, `${sourcePath(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
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
