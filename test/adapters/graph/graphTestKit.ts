// Shared set-up for the Graph adapter tests: a client wired exactly as production wires it (settings
// parsed from GRAPH_* variables, the real credential and Graph client) but pointed at the fake Graph,
// with waits between retries recorded instead of slept.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../../../domain/logger';
import { createGraphClient } from '../../../adapters/graph/graphClient';
import { createGraphCredential, parseGraphConnectionSettings } from '../../../adapters/graph/graphCredential';
import type { FakeGraph } from '../../support/fakeGraph';

/** The GRAPH_* settings that point Privacy Desk at the fake, signing in with its client secret. */
export function fakeGraphEnv(fake: FakeGraph, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    GRAPH_TENANT_ID: fake.tenantId,
    GRAPH_CLIENT_ID: fake.clientId,
    GRAPH_CLIENT_SECRET: fake.clientSecret,
    GRAPH_BASE_URL: fake.baseUrl,
    GRAPH_AUTHORITY_HOST: fake.authorityHost,
    ...overrides,
  };
}

export interface TestGraphClient {
  readonly client: Client;
  /** Every wait the retry handler asked for, in milliseconds. */
  readonly waits: number[];
}

export function testGraphClient(fake: FakeGraph, options: { logger?: Logger; maxRetries?: number; env?: Record<string, string> } = {}): TestGraphClient {
  const waits: number[] = [];
  const connection = parseGraphConnectionSettings(fakeGraphEnv(fake, options.env));
  const client = createGraphClient({
    credential: createGraphCredential(connection.credential),
    baseUrl: connection.baseUrl,
    retry: {
      maxRetries: options.maxRetries ?? 3,
      delaySeconds: 0,
      wait: async (ms) => {
        waits.push(ms);
      },
    },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { client, waits };
}

/** Log lines kept as objects, so tests can assert what was (and was not) logged. */
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
  /** Everything logged, as one string to search. */
  text(): string {
    return JSON.stringify(this.entries);
  }
}

/** A Clock whose time only moves when the test says so. */
export class ManualClock {
  private current: number;
  constructor(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
    this.current = start;
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
