/** Time enters the domain only through this port, so tests can drive it (sinon fake timers or a fixed clock). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
