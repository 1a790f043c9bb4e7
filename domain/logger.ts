/**
 * The logging port (pino fits it). Log ids, codes and counts — never names, addresses or content:
 * logs leave the privacy boundary more easily than the store does.
 */
export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
