// port: time, so that use cases can be tested at a fixed instant.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
