import pino from 'pino';
import type { Logger } from '../domain/logger';

/** JSON lines on stdout (pino). Fields that could name a person are redacted as a second line of defence. */
export function createLogger(level: string): Logger & pino.Logger {
  return pino({
    level,
    base: { service: 'privacy-desk' },
    redact: {
      paths: ['displayName', 'userPrincipalName', 'mail', 'name', '*.displayName', '*.userPrincipalName', '*.mail', '*.name', 'text'],
      censor: '[redacted]',
    },
  });
}
