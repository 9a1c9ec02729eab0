// local runtime: invokes a function of the topology the way Lambda does: the handler module is imported on first use
// (a cold start, after the environment is set) and called with an event and a Lambda context; an answer past
// Lambda's payload quota fails the invocation, as it would there.
// Every function runs in this one process, several invocations at once, as on a Lambda Managed Instance
// (AWS_LAMBDA_MAX_CONCURRENCY set): each invocation runs in its own InvokeStore context, where Powertools keeps what
// injectLambdaContext adds. Without it the functions' shared logger holds one Lambda context for all, and a log line
// names whichever function started last, not the one that wrote it.
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import { withinAnswerQuota } from '../lambda-quotas.js';
import { topology, type FunctionName } from '../topology.js';
import { lambdaContext } from './lambda-context.js';

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

let invocations: Promise<InvokeStoreBase> | undefined;

/** runs one invocation in its own InvokeStore context, so that what Powertools keeps for it stays its own */
export async function inOwnInvocation<T>(context: Context, run: () => Promise<T>): Promise<T> {
  // read by Powertools on every call: the Lambda context, temporary log keys and batch state go per invocation
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  invocations ??= InvokeStore.getInstanceAsync(true);
  return (await invocations).run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, run);
}

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
    invoke: async (name: FunctionName, event: unknown) => {
      const handler = await handlerOf(name);
      const context = lambdaContext(name, topology.functions[name].timeoutSeconds);
      let result: unknown;
      try {
        result = await inOwnInvocation(context, () => handler(event, context));
      } catch (error) {
        // as Lambda's runtime logs a failed invocation: a schedule or queue consumer that throws has nobody else to say so
        const { name: errorType, message: errorMessage } = error instanceof Error ? error : { name: typeof error, message: String(error) };
        console.error(`${name}: ERROR\tInvoke Error\t${JSON.stringify({ errorType, errorMessage })}`);
        throw error;
      }
      try {
        return withinAnswerQuota(result);
      } catch (error) {
        // said where a developer looks: the gateway's 500 tells the client no more than API Gateway's does
        console.error(`${name}: ${String(error)}`);
        throw error;
      }
    },
    /** cold-starts these functions now, so that `ready` means the first request is not the one that pays for it */
    warm: async (names: FunctionName[]) => {
      await Promise.all(names.map(handlerOf));
    },
  };
}
