import type { Logger } from '../../domain/logger';

/** Log output kept in memory, so tests can assert what was (and was not) logged. */
export class CapturingLogger implements Logger {
  readonly entries: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  info(fields: Record<string, unknown>, message: string): void {
    this.entries.push({ level: 'info', message, fields });
  }
  warn(fields: Record<string, unknown>, message: string): void {
    this.entries.push({ level: 'warn', message, fields });
  }
  error(fields: Record<string, unknown>, message: string): void {
    this.entries.push({ level: 'error', message, fields });
  }
  /** One JSON line per entry, as a log shipper would see it. */
  get lines(): string[] {
    return this.entries.map((e) => JSON.stringify({ level: e.level, message: e.message, ...e.fields }));
  }
  /** Everything logged, as one string to search. */
  text(): string {
    return JSON.stringify(this.entries);
  }
}
