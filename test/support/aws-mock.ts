// test support: aws-sdk-client-mock on the functions' AWS clients (shared/aws). They have the SDK's shape, a `send` on
// the prototype and commands that hold their `input`, which is all the library matches on when it runs; its types ask
// for the SDK's own Client and Command classes, so this states the part of its API the fault tests use.
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsCommand } from '../../shared/aws/json-protocol.js';

export type AnyCommand = AwsCommand<object, object>;
export type CommandClass<C extends AnyCommand> = new (input: C['input']) => C;
type OutputOf<C> = C extends AwsCommand<object, infer O> ? O : never;
/** a callback whose parameter may be narrower than the input type (the fault tests destructure only what they read) */
type Answer = (input: any) => unknown;
type Matching<T> = T extends object ? { [K in keyof T]?: Matching<T[K]> } : T;

export interface Behaviour<C extends AnyCommand> {
  resolves(output: Partial<OutputOf<C>>): Behaviour<C>;
  resolvesOnce(output: Partial<OutputOf<C>>): Behaviour<C>;
  rejects(error?: unknown): Behaviour<C>;
  rejectsOnce(error?: unknown): Behaviour<C>;
  callsFake(answer: Answer): Behaviour<C>;
  callsFakeOnce(answer: Answer): Behaviour<C>;
}

export interface SentCall<C extends AnyCommand> {
  args: [C];
}

export interface AwsMock {
  on<C extends AnyCommand>(command: CommandClass<C>, input?: Matching<C['input']>, strict?: boolean): Behaviour<C>;
  calls(): SentCall<AnyCommand>[];
  commandCalls<C extends AnyCommand>(command: CommandClass<C>, input?: Matching<C['input']>, strict?: boolean): SentCall<C>[];
  reset(): AwsMock;
  restore(): void;
}

/** mocks `send` of every instance of `client` (a class of shared/aws) */
export const mockAws = (client: abstract new (...args: never[]) => { send(command: never): Promise<unknown> }): AwsMock =>
  mockClient(client as never) as unknown as AwsMock;
