// build: the widget bundle served at /widget.js (locally) and measured by the size budget.
import { build } from 'esbuild';

export const widgetEntry = new URL('./src/widget.ts', import.meta.url).pathname;

export async function buildWidget(): Promise<string> {
  const result = await build({
    entryPoints: [widgetEntry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020'],
    write: false,
    legalComments: 'none',
  });
  return result.outputFiles[0]?.text ?? '';
}
