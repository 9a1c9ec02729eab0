// port: a durable queue of work. Adapter: sqs-work-queue.
export interface WorkQueue<T> {
  /** resolves once the queue has durably accepted the message */
  send(message: T): Promise<void>;
}
