// local runtime: invokes a function of the topology the way Lambda does: the handler module is imported on first use
// (a cold start, after the environment is set) and called with an event and a Lambda context.
import type { Context } from 'aws-lambda';
import { topology, type FunctionName } from '../topology.js';
import { lambdaContext } from './lambda-context.js';

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

export function functionInvoker() {
  const handlers = new Map<FunctionName, Promise<AnyHandler>>();
  const handlerOf = (name: FunctionName): Promise<AnyHandler> => {
    let loaded = handlers.get(name);
    if (!loaded) {
      const entry = new URL(`../../${topology.functions[name].entry}`, import.meta.url).href;
      // a module may also export `initialised`, the set-up it starts while it loads (Lambda's init phase runs it before
      // the first event): the handler is ready once that is done too
      loaded = import(entry).then(async (module: { handler: AnyHandler; initialised?: Promise<unknown> }) => {
        await module.initialised;
        return module.handler;
      });
      handlers.set(name, loaded);
    }
    return loaded;
  };
  return {
    invoke: async (name: FunctionName, event: unknown) => (await handlerOf(name))(event, lambdaContext(name, topology.functions[name].timeoutSeconds)),
    /** cold-starts these functions now, so that `ready` means the first request is not the one that pays for it */
    warm: async (names: FunctionName[]) => {
      await Promise.all(names.map(handlerOf));
    },
  };
}
