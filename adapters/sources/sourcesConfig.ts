import { readFile } from 'node:fs/promises';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { Client } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { ControllerDetails } from '../../domain/export/coverLetter';
import {
  art20Applies,
  CCPA_CATEGORIES,
  LEGAL_BASES,
  portableBasis,
  SPECIAL_CATEGORY_CONDITIONS,
  TRANSFER_SAFEGUARDS,
  type DataSource,
} from '../../domain/export/dataSource';
import { parseCalendarDate } from '../../domain/deadlines/calendarDate';
import type { Directory } from '../../domain/directory/directory';
import type { RequestStore } from '../../domain/requests/requestStore';
import { BlobJsonLinesSource } from './blobJsonLinesSource';
import { DirectoryProfileSource } from './directoryProfileSource';
import { HttpJsonSource, type HttpSourceAuth } from './httpJsonSource';
import { M365ExportSource } from './m365ExportSource';
import { PrivacyDeskRecordsSource } from './privacyDeskRecordsSource';

const nonEmpty = z.string().trim().min(1);

/** A required text whose absence is explained: `what` says what to write. */
const text = (what: string) =>
  z
    .string({ error: `write ${what}` })
    .trim()
    .min(1, `write ${what}`);
const texts = (what: string) => z.array(text(what), { error: `write a list of ${what}` });
const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

const transferSchema = z.discriminatedUnion(
  'thirdCountry',
  [
    z.object({ thirdCountry: z.literal(false) }).strict(),
    z
      .object({
        thirdCountry: z.literal(true),
        destination: z.union([z.object({ country: z.string().regex(/^[A-Z]{2}$/) }).strict(), z.object({ internationalOrganisation: nonEmpty }).strict()], {
          error: 'write where the data goes: "destination": { "country": "US" } (ISO 3166-1 alpha-2 code) or { "internationalOrganisation": "…" }',
        }),
        safeguards: z
          .array(z.enum(TRANSFER_SAFEGUARDS, { error: `write a safeguard of Chapter V GDPR: one of ${quoted(TRANSFER_SAFEGUARDS)}` }), {
            error: `write the safeguards the transfer rests on: "safeguards": [one or more of ${quoted(TRANSFER_SAFEGUARDS)}]`,
          })
          .min(1, `name at least one safeguard: ${quoted(TRANSFER_SAFEGUARDS)}`)
          .refine((s) => new Set(s).size === s.length, 'name each safeguard once'),
        safeguardDetail: text('which decision, clauses, rules or derogation, in words a person can look up: "safeguardDetail": "…"'),
        copyAvailableAt: text('where a copy of the safeguards can be obtained: "copyAvailableAt": "https://…"').optional(),
      })
      .strict()
      // Art. 13(1)(f)/14(1)(f): the means to obtain a copy; a derogation alone (Art. 49) has no document to copy.
      .refine((t) => t.copyAvailableAt !== undefined || t.safeguards.every((s) => s === 'art-49-derogation'), {
        path: ['copyAvailableAt'],
        message: 'write where a copy of the safeguards can be obtained (Art. 13(1)(f), 14(1)(f) GDPR): "copyAvailableAt": "https://…" or "on request from …"',
      }),
  ],
  {
    error:
      'say whether this recipient receives the data outside the EEA (Art. 15(2) GDPR): "transfer": { "thirdCountry": false }, or { "thirdCountry": true, "destination": …, "safeguards": […], "safeguardDetail": "…", "copyAvailableAt": "…" }',
  },
);

const recipientSchema = z
  .object(
    { name: text('the recipient\'s name: "name": "…"'), transfer: transferSchema },
    { error: 'write each recipient as { "name": "…", "transfer": { "thirdCountry": false } } (or with the transfer\'s details)' },
  )
  .strict();

const automatedDecisionMakingSchema = z.discriminatedUnion(
  'used',
  [
    z.object({ used: z.literal(false) }).strict(),
    z
      .object({
        used: z.literal(true),
        logic: text('meaningful information about the logic involved: "logic": "…"'),
        significance: text('the significance of the processing for the person: "significance": "…"'),
        consequences: text('its envisaged consequences for the person: "consequences": "…"'),
      })
      .strict(),
  ],
  {
    error:
      'declare automated decision-making (Art. 15(1)(h) GDPR): "automatedDecisionMaking": { "used": false }, or { "used": true, "logic": "…", "significance": "…", "consequences": "…" }',
  },
);

const legalBasisSchema = z
  .object(
    {
      article: z.enum(LEGAL_BASES, { error: `write the point of Art. 6(1) GDPR: "article": one of ${quoted(LEGAL_BASES)}` }),
      specialCategoryCondition: z
        .enum(SPECIAL_CATEGORY_CONDITIONS, {
          error: `for special categories of data, write the point of Art. 9(2) GDPR: one of ${quoted(SPECIAL_CATEGORY_CONDITIONS)}`,
        })
        .optional(),
      text: text('the legal basis in words: "text": "…"'),
    },
    { error: 'write the legal basis as { "article": "6(1)(b)", "text": "…" }' },
  )
  .strict();

const providedBySubjectSchema = z.union([z.literal('all'), z.literal('none'), z.object({ fields: z.array(nonEmpty).min(1) }).strict()], {
  error:
    'say which data the person provided: "providedBySubject": "all", "none", or { "fields": ["…"] } (data observed from their use of a service counts as provided; data derived or entered by others, such as HR, does not)',
});

const ccpaSchema = z
  .object(
    {
      categories: z
        .array(z.enum(CCPA_CATEGORIES, { error: `write a category the CCPA names: one of ${quoted(CCPA_CATEGORIES)}` }), {
          error: `write the CCPA categories: "categories": [one or more of ${quoted(CCPA_CATEGORIES)}]`,
        })
        .min(1, `name at least one CCPA category: ${quoted(CCPA_CATEGORIES)}`),
      sourceCategories: texts('the categories of sources the data is collected from: "sourceCategories"').min(
        1,
        'name at least one category of sources in "sourceCategories"',
      ),
      businessPurposes: texts('the business or commercial purposes: "businessPurposes"').min(1, 'name at least one business purpose in "businessPurposes"'),
      disclosedTo: texts('the categories of third parties it is disclosed to for a business purpose ([] for none): "disclosedTo"'),
      soldTo: texts('the categories of third parties it is sold to ([] if not sold): "soldTo"'),
      sharedWith: texts('the categories of third parties it is shared with for cross-context behavioural advertising ([] if not shared): "sharedWith"'),
    },
    {
      error:
        'write what a CCPA letter says about this source: "ccpa": { "categories", "sourceCategories", "businessPurposes", "disclosedTo", "soldTo", "sharedWith" }',
    },
  )
  .strict();

const translationSchema = z
  .object({
    title: nonEmpty.optional(),
    purposes: z.array(nonEmpty).optional(),
    categories: z.array(nonEmpty).optional(),
    retention: nonEmpty.optional(),
    origin: nonEmpty.optional(),
    recipients: z
      .array(
        z
          .object({ name: nonEmpty.optional(), destination: nonEmpty.optional(), safeguardDetail: nonEmpty.optional(), copyAvailableAt: nonEmpty.optional() })
          .strict(),
      )
      .optional(),
    legalBasis: nonEmpty.optional(),
    automatedDecisionMaking: z.object({ logic: nonEmpty.optional(), significance: nonEmpty.optional(), consequences: nonEmpty.optional() }).strict().optional(),
    ccpa: z
      .object({
        sourceCategories: z.array(nonEmpty).optional(),
        businessPurposes: z.array(nonEmpty).optional(),
        disclosedTo: z.array(nonEmpty).optional(),
        soldTo: z.array(nonEmpty).optional(),
        sharedWith: z.array(nonEmpty).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** What one source declares (also what every DataSource's disclosure must satisfy: see the contract tests). */
export const disclosureSchema = z
  .object({
    title: text('the source\'s title: "title": "…"'),
    purposes: texts('purposes: "purposes"').min(1, 'name at least one purpose'),
    categories: texts('categories of personal data: "categories"').min(1, 'name at least one category of personal data'),
    recipients: z
      .array(recipientSchema, { error: 'write the recipients: "recipients": [{ "name": "…", "transfer": { "thirdCountry": false } }]' })
      .min(1, 'name at least one recipient'),
    retention: text('how long the data is kept: "retention": "…"'),
    legalBasis: legalBasisSchema,
    origin: text('where the data comes from: "origin": "…"'),
    providedBySubject: providedBySubjectSchema,
    portable: z.boolean({ error: 'say whether Art. 20 portability applies: "portable": true or false' }),
    automatedDecisionMaking: automatedDecisionMakingSchema,
    ccpa: ccpaSchema,
    translations: z
      .object(
        { de: translationSchema.optional(), fr: translationSchema.optional() },
        { error: 'write translations by language: "translations": { "de": { … }, "fr": { … } }' },
      )
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    for (const problem of disclosureProblems(d)) ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
  });

type ParsedDisclosure = z.infer<typeof disclosureSchema>;

/** The rules one field alone cannot check: Art. 20's conditions, and translations that line up with the English. */
function disclosureProblems(d: ParsedDisclosure): Array<{ message: string; path: PropertyKey[] }> {
  const problems: Array<{ message: string; path: PropertyKey[] }> = [];
  const basis = `Art. ${d.legalBasis.article}${d.legalBasis.specialCategoryCondition ? ` and Art. ${d.legalBasis.specialCategoryCondition}` : ''}`;
  if (d.portable && !portableBasis(d.legalBasis)) {
    problems.push({
      path: ['portable'],
      message: `it is tagged portable, but its legal basis is ${basis}: Art. 20 covers only consent (6(1)(a), 9(2)(a)) or contract (6(1)(b)); write "portable": false`,
    });
  } else if (d.portable && d.providedBySubject === 'none') {
    problems.push({
      path: ['portable'],
      message:
        'it is tagged portable, but "providedBySubject" is "none": Art. 20 covers only data the person provided; write "portable": false, or name the fields they provided in "providedBySubject": { "fields": [...] }',
    });
  } else if (!d.portable && art20Applies(d)) {
    problems.push({ path: ['portable'], message: `Art. 20 applies to it (legal basis ${basis}, data the person provided): write "portable": true` });
  }
  for (const [language, translation] of Object.entries(d.translations ?? {})) {
    if (!translation) continue;
    const lists: Array<[PropertyKey[], readonly unknown[], readonly unknown[] | undefined]> = [
      [['purposes'], d.purposes, translation.purposes],
      [['categories'], d.categories, translation.categories],
      [['recipients'], d.recipients, translation.recipients],
      [['ccpa', 'sourceCategories'], d.ccpa.sourceCategories, translation.ccpa?.sourceCategories],
      [['ccpa', 'businessPurposes'], d.ccpa.businessPurposes, translation.ccpa?.businessPurposes],
      [['ccpa', 'disclosedTo'], d.ccpa.disclosedTo, translation.ccpa?.disclosedTo],
      [['ccpa', 'soldTo'], d.ccpa.soldTo, translation.ccpa?.soldTo],
      [['ccpa', 'sharedWith'], d.ccpa.sharedWith, translation.ccpa?.sharedWith],
    ];
    for (const [path, english, translated] of lists) {
      if (translated !== undefined && translated.length !== english.length) {
        problems.push({
          path: ['translations', language, ...path],
          message: `the ${language} translation has ${translated.length} entries and the English ${english.length}: translate each entry, in the same order`,
        });
      }
    }
  }
  return problems;
}

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
    pollMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(60),
    /** How long Microsoft may write into the export container. */
    writeWindowDays: z.number().int().min(1).max(90).default(30),
  }),
]);

export const sourcesFileSchema = z
  .object({
    controller: z.object({ name: nonEmpty, contact: nonEmpty, supervisoryAuthority: nonEmpty }),
    /** The CCPA letter's covered period starts here; without it, 12 months before the request. */
    ccpa: z
      .object({
        coveredSince: z
          .string()
          .refine((d) => parseCalendarDate(d) === d, 'write a date as "YYYY-MM-DD"')
          .optional(),
      })
      .strict()
      .optional(),
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
  if (!parsed.success) throw new Error(`The sources file ${path} is not valid:\n${describeProblems(parsed.error, raw)}`);
  return parsed.data;
}

/** One line per problem, naming the source by its id (not its position) and where in it the problem is. */
function describeProblems(error: z.ZodError, raw: unknown): string {
  const sources = (raw as { sources?: unknown } | null)?.sources;
  return error.issues
    .map((issue) => {
      const [first, index, ...rest] = issue.path;
      const entry = first === 'sources' && typeof index === 'number' && Array.isArray(sources) ? (sources[index] as { id?: unknown } | undefined) : undefined;
      if (first === 'sources' && typeof index === 'number') {
        const name = typeof entry?.id === 'string' ? `source "${entry.id}"` : `source ${index + 1}`;
        return `✖ ${name}${rest.length > 0 ? ` (${pathText(rest)})` : ''}: ${issue.message}`;
      }
      return `✖ ${issue.path.length > 0 ? `${pathText(issue.path)}: ` : ''}${issue.message}`;
    })
    .join('\n');
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
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
  const controller: ControllerDetails = { ...file.controller, ...(file.ccpa?.coveredSince ? { ccpaCoveredSince: file.ccpa.coveredSince } : {}) };
  return { sources, controller };
}
