import type { Clock } from '../../domain/clock';

/** A Clock whose time only moves when the test says so. */
export class FixedClock implements Clock {
  constructor(private current: Date = new Date(Date.UTC(2026, 0, 15, 9, 0, 0))) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
