// local runtime: what EventBridge Scheduler does in the cloud: invoke each scheduled function at its rate.
// A run never overlaps the previous one of the same schedule.
export interface LocalSchedule {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
}

export function startScheduler(schedules: LocalSchedule[], onError: (name: string, error: unknown) => void) {
  const inFlight = new Map<string, Promise<unknown>>();
  const runOnce = (schedule: LocalSchedule): Promise<unknown> => {
    const current = inFlight.get(schedule.name);
    if (current) return current;
    const run = schedule
      .run()
      .catch((error: unknown) => onError(schedule.name, error))
      .finally(() => inFlight.delete(schedule.name));
    inFlight.set(schedule.name, run);
    return run;
  };
  const timers = schedules.map((schedule) => setInterval(() => void runOnce(schedule), schedule.everyMs));
  return {
    /** runs a schedule now (tests, and the drain on shutdown) */
    async trigger(name: string): Promise<void> {
      const schedule = schedules.find((s) => s.name === name);
      if (!schedule) throw new Error(`no schedule named ${name}`);
      await runOnce(schedule);
    },
    async stop(): Promise<void> {
      timers.forEach(clearInterval);
      await Promise.all(inFlight.values());
    },
  };
}
