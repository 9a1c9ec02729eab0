// infra: what a Lambda bundle gets for `import { ReadableStream } from 'node:stream/web'` (bundling.ts aliases the
// module here). @middy/core imports it at load, for the streamed responses none of the functions sends, and loading
// node:stream/web loads all of Node's web streams: about 4 ms of every cold start (docs/benchmarks.md). Node's global
// ReadableStream is the same class, loaded the first time it is touched, so this hands it out only on use: `new`,
// `instanceof` and its statics reach the real class then, and a bundle that never streams never loads it.
//
// Only ReadableStream is here. An ES import of another name from node:stream/web fails the build; a CommonJS require
// or a namespace import would only get undefined, so test/unit/lambda-bundle.test.ts holds the bundles to the one
// importer this was written for (@middy/core's `import { ReadableStream }`).

type ReadableStreamClass = typeof globalThis.ReadableStream;

const real = (): ReadableStreamClass => globalThis.ReadableStream;

// a function as the target: `new` needs a constructor, and its `prototype` stays writable, so `get` may answer Node's.
// A subclass (`class X extends ReadableStream`) constructs with its own new.target, so its instances are X's
export const ReadableStream: ReadableStreamClass = new Proxy(function ReadableStream() {} as unknown as ReadableStreamClass, {
  construct: (_target, args: ConstructorParameters<ReadableStreamClass>, newTarget: ReadableStreamClass) =>
    Reflect.construct(real(), args, newTarget === ReadableStream ? real() : newTarget),
  apply: () => {
    throw new TypeError("Class constructor ReadableStream cannot be invoked without 'new'");
  },
  get: (_target, key) => Reflect.get(real(), key),
  has: (_target, key) => Reflect.has(real(), key),
});
