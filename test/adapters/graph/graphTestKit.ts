// Shared set-up for the Graph adapter tests: a client wired exactly as production wires it (settings
// parsed from GRAPH_* variables, the real credential and Graph client) but pointed at the fake Graph,
// with waits between retries recorded instead of slept.
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Logger } from '../../../domain/logger';
import { createGraphClient } from '../../../adapters/graph/graphClient';
import { createGraphCredential, parseGraphConnectionSettings } from '../../../adapters/graph/graphCredential';
import { fakeGraphEnv, type FakeGraph } from '../../support/fakeGraph';

export { fakeGraphEnv };

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

export { CapturingLogger } from '../../support/capturingLogger';
export { FixedClock } from '../../support/fixedClock';
