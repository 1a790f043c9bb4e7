import { readFile } from 'node:fs/promises';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { ControllerDetails } from '../../domain/export/coverLetter';
import type { DataSource } from '../../domain/export/dataSource';
import type { Directory } from '../../domain/directory/directory';
import type { RequestStore } from '../../domain/requests/requestStore';
import { BlobJsonLinesSource } from './blobJsonLinesSource';
import { DirectoryProfileSource } from './directoryProfileSource';
import { HttpJsonSource, type HttpSourceAuth } from './httpJsonSource';
import { M365ExportSource } from './m365ExportSource';
import { PrivacyDeskRecordsSource } from './privacyDeskRecordsSource';

const nonEmpty = z.string().trim().min(1);

const disclosureSchema = z.object({
  title: nonEmpty,
  purposes: z.array(nonEmpty).min(1),
  categories: z.array(nonEmpty).min(1),
  recipients: z.array(nonEmpty).min(1),
  retention: nonEmpty,
  legalBasis: nonEmpty,
  origin: nonEmpty,
  portable: z.boolean(),
  automatedDecisionMaking: nonEmpty.optional(),
});

const sourceId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lower-case letters, digits and dashes (it becomes a file name)');

const sourceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('directory-profile'), id: sourceId, disclosure: disclosureSchema }),
  z.object({ type: z.literal('privacy-desk-records'), id: sourceId, disclosure: disclosureSchema }),
  z.object({
    type: z.literal('blob-jsonl'),
    id: sourceId,
    disclosure: disclosureSchema,
    container: z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, 'not a valid blob container name'),
    prefix: z.string().default(''),
    userIdField: nonEmpty,
    matchOn: z.enum(['objectId', 'userPrincipalName', 'mail']).default('objectId'),
  }),
  z.object({
    type: z.literal('http-json'),
    id: sourceId,
    disclosure: disclosureSchema,
    url: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL with {objectId}, {userPrincipalName} or {mail} where the subject goes'),
    recordsPath: z.string().default(''),
    nextLinkPath: z.string().optional(),
    auth: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('none') }),
        // The secret itself never sits in this file: it is read from the named environment variable.
        z.object({ kind: z.literal('header'), name: nonEmpty, secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'name an environment variable') }),
        z.object({ kind: z.literal('entra'), scope: nonEmpty }),
      ])
      .default({ kind: 'none' }),
    retries: z.number().int().min(0).max(10).default(4),
    maxPages: z.number().int().min(1).max(1_000_000).default(10_000),
  }),
  z.object({
    type: z.literal('m365-export'),
    id: sourceId,
    disclosure: disclosureSchema,
    /** Files up to this size go into the package; larger ones are referenced. */
    maxInlineMB: z.number().positive().max(10_000).default(100),
    pollMinutes: z.number().positive().max(24 * 60).default(60),
    /** How long Microsoft may write into the export container. */
    writeWindowDays: z.number().int().min(1).max(90).default(30),
  }),
]);

export const sourcesFileSchema = z
  .object({
    controller: z.object({ name: nonEmpty, contact: nonEmpty, supervisoryAuthority: nonEmpty }),
    sources: z.array(sourceSchema).min(1),
  })
  .refine((f) => new Set(f.sources.map((s) => s.id)).size === f.sources.length, { message: 'source ids must be unique', path: ['sources'] });

export type SourcesFile = z.infer<typeof sourcesFileSchema>;

/** Reads and validates the sources file; the error names the file and every problem in it. */
export async function readSourcesFile(path: string): Promise<SourcesFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the sources file ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = sourcesFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`The sources file ${path} is not valid:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export interface SourceDependencies {
  readonly directory: Directory;
  readonly store: RequestStore;
  readonly blobService: BlobServiceClient;
  /** Environment for secrets named in the file (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** App-identity tokens for `entra` auth (Privacy Desk's own Entra app). */
  readonly tokenFor?: (scope: string) => Promise<string>;
  /** First retry delay for HTTP sources (tests make it small). */
  readonly httpRetryDelayMs?: number;
  /** Microsoft Graph, for sources that use it (Microsoft 365's personal-data export). */
  readonly graphClient?: Client;
}

const DEFAULT_HTTP_RETRY_DELAY_MS = 1000;

type HttpAuthConfig = Extract<SourcesFile['sources'][number], { type: 'http-json' }>['auth'];

function httpAuth(sourceId: string, auth: HttpAuthConfig, deps: SourceDependencies): HttpSourceAuth {
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'header': {
      const value = (deps.env ?? process.env)[auth.secretEnv];
      if (!value) throw new Error(`Source ${sourceId} needs the secret in the environment variable ${auth.secretEnv}, which is not set.`);
      return { kind: 'header', name: auth.name, value };
    }
    case 'entra': {
      const tokenFor = deps.tokenFor;
      if (!tokenFor) throw new Error(`Source ${sourceId} uses an Entra app token, but no app identity is configured (see GRAPH_* in .env.example).`);
      return { kind: 'token', getToken: () => tokenFor(auth.scope) };
    }
  }
}

/** Turns the validated file into sources. Adding a source type: one class, one case here. */
export function buildSources(file: SourcesFile, deps: SourceDependencies): { sources: DataSource[]; controller: ControllerDetails } {
  const sources = file.sources.map((s): DataSource => {
    switch (s.type) {
      case 'directory-profile':
        return new DirectoryProfileSource(s.id, s.disclosure, deps.directory);
      case 'privacy-desk-records':
        return new PrivacyDeskRecordsSource(s.id, s.disclosure, deps.store);
      case 'blob-jsonl':
        return new BlobJsonLinesSource(s.id, s.disclosure, {
          container: deps.blobService.getContainerClient(s.container),
          prefix: s.prefix,
          userIdField: s.userIdField,
          matchOn: s.matchOn,
        });
      case 'm365-export':
        if (!deps.graphClient) throw new Error(`Source ${s.id} uses Microsoft 365's export, which needs Microsoft Graph (see GRAPH_* in .env.example).`);
        return new M365ExportSource(s.id, s.disclosure, {
          graph: deps.graphClient,
          blobService: deps.blobService,
          maxInlineBytes: s.maxInlineMB * 1_000_000,
          pollIntervalMs: s.pollMinutes * 60_000,
          writeWindowMs: s.writeWindowDays * 24 * 3600_000,
        });
      case 'http-json':
        return new HttpJsonSource(s.id, s.disclosure, {
          urlTemplate: s.url,
          recordsPath: s.recordsPath,
          ...(s.nextLinkPath ? { nextLinkPath: s.nextLinkPath } : {}),
          auth: httpAuth(s.id, s.auth, deps),
          retries: s.retries,
          retryDelayMs: deps.httpRetryDelayMs ?? DEFAULT_HTTP_RETRY_DELAY_MS,
          maxPages: s.maxPages,
        });
    }
  });
  return { sources, controller: file.controller };
}
