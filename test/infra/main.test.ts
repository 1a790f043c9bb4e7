/**
 * infra/main.json checked offline: it parses, every name it uses resolves, its resource types and
 * API versions are ones Microsoft documents, and the app settings it writes are ones app/config
 * accepts in production (loadConfig is run on them). Nothing here talks to Azure: what Azure would
 * say about the template beyond this is listed as unverified in infra/README.md.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadConfig, type AppConfig } from '../../app/config';
import { PROJECT_ROOT, projectPath } from '../../app/projectRoot';
import { MESSAGES_PATH, READY_PATH } from '../../bot/http/server';
import { KEPT_FILES_ROOT } from '../../domain/export/packageLayout';
import { asString, callsIn, expressionsIn, literalArgumentsOf, type ArmNode, type ArmValue } from './support/armExpressions';
import { ArmTemplate, TEST_TENANT_ID, type RuntimeProperties } from './support/armTemplate';

const TEMPLATE_FILE = 'infra/main.json';
const PARAMETERS_FILE = 'infra/main.parameters.json';
const DEPLOYMENT_TEMPLATE_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const DEPLOYMENT_PARAMETERS_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#';

/**
 * API versions each resource type is deployed with, as listed by Microsoft's template reference
 * (checked December 2026): learn.microsoft.com/azure/templates/<namespace>/allversions, and for
 * role assignments and diagnostic settings the REST reference pages named beside them.
 */
const KNOWN_API_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': ['2023-01-31'],
  'Microsoft.OperationalInsights/workspaces': ['2022-10-01'],
  'Microsoft.Insights/components': ['2020-02-02'],
  'Microsoft.Storage/storageAccounts': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/blobServices': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/blobServices/containers': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/managementPolicies': ['2023-05-01'],
  // learn.microsoft.com/rest/api/authorization/role-assignments/create?view=rest-authorization-2022-04-01
  'Microsoft.Authorization/roleAssignments': ['2022-04-01'],
  'Microsoft.KeyVault/vaults': ['2023-07-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers': ['2024-08-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers/administrators': ['2024-08-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers/databases': ['2024-08-01'],
  'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules': ['2024-08-01'],
  'Microsoft.Web/serverfarms': ['2022-09-01'],
  'Microsoft.Web/sites': ['2022-09-01'],
  'Microsoft.Web/sites/basicPublishingCredentialsPolicies': ['2022-09-01'],
  // learn.microsoft.com/rest/api/monitor/diagnostic-settings/create-or-update (the current version is a preview one)
  'Microsoft.Insights/diagnosticSettings': ['2021-05-01-preview'],
  'Microsoft.BotService/botServices': ['2022-09-15'],
  'Microsoft.BotService/botServices/channels': ['2022-09-15'],
};

/** Azure built-in role definition ids (learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
const BUILT_IN_ROLES = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
} as const;

/** Settings the platform or the runtime reads rather than app/config (and so .env.example does not list). */
const PLATFORM_SETTINGS = new Set([
  'WEBSITES_CONTAINER_STOP_TIME_LIMIT',
  'SCM_DO_BUILD_DURING_DEPLOYMENT',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'MALLOC_ARENA_MAX',
]);

/** What app/config insists on in production (its superRefine), as the settings that carry it. */
const REQUIRED_IN_PRODUCTION = [
  'MicrosoftAppId',
  'MicrosoftAppType',
  'MicrosoftAppTenantId',
  'PRIVACY_DESK_TIME_ZONE',
  'AZURE_STORAGE_ACCOUNT_URL',
  'PRIVACY_ADMIN_GROUP_ID',
  'DATABASE_URL',
];

const IDENTITY_CLIENT_ID = 'c0ffee00-1d00-4e00-8a00-0000000c11e1';
const IDENTITY_PRINCIPAL_ID = 'c0ffee00-1d00-4e00-8a00-00000000b1d0';
const APP_INSIGHTS_CONNECTION_STRING =
  'InstrumentationKey=00000000-aaaa-4bbb-8ccc-000000000001;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';
const SECRET_OUTPUT_PROPERTY = /key|secret|password|connectionstring|token/i;

/** What reference() returns at deployment time, for the properties the template reads. */
const RUNTIME: RuntimeProperties = {
  'Microsoft.ManagedIdentity/userAssignedIdentities': () => ({ clientId: IDENTITY_CLIENT_ID, principalId: IDENTITY_PRINCIPAL_ID, tenantId: TEST_TENANT_ID }),
  'Microsoft.Insights/components': () => ({ ConnectionString: APP_INSIGHTS_CONNECTION_STRING }),
  'Microsoft.DBforPostgreSQL/flexibleServers': ({ name }) => ({ fullyQualifiedDomainName: `${name}.postgres.database.azure.com` }),
  'Microsoft.Web/sites': ({ name }) => ({ defaultHostName: `${name}.azurewebsites.net`, possibleOutboundIpAddresses: '20.0.0.1,20.0.0.2' }),
};

/** infra/main.json as the tests read it; the first test checks its schema and that it has resources. */
interface TemplateFile {
  readonly $schema: string;
  readonly contentVersion: string;
  readonly parameters: Record<string, { type: string; defaultValue?: unknown }>;
  readonly variables: Record<string, unknown>;
  readonly resources: ReadonlyArray<Record<string, unknown>>;
  readonly outputs: Record<string, { type: string; value: unknown }>;
}

/** infra/main.parameters.json: a deployment parameters file. */
interface ParametersFile {
  readonly $schema: string;
  readonly parameters: Record<string, { value: ArmValue }>;
}

const templateJson = JSON.parse(readFileSync(projectPath(TEMPLATE_FILE), 'utf8')) as TemplateFile;
const parametersJson = JSON.parse(readFileSync(projectPath(PARAMETERS_FILE), 'utf8')) as ParametersFile;
const packageJson = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { engines: { node: string }; scripts: Record<string, string> };
const exampleParameters: Record<string, ArmValue> = Object.fromEntries(Object.entries(parametersJson.parameters).map(([name, p]) => [name, p.value]));

/** The deployments the tests look at: the parameters file as it is, and each choice it offers. */
const SCENARIOS: Readonly<Record<string, Record<string, ArmValue>>> = {
  'the example parameters (SingleTenant bot, Graph through the identity)': exampleParameters,
  'Graph through the bot app registration': { ...exampleParameters, graphSignIn: 'BotAppSecret' },
  'a user-assigned managed identity as the bot': { ...exampleParameters, microsoftAppType: 'UserAssignedMSI', botAppId: '' },
};
const deploy = (parameters: Record<string, ArmValue>) => new ArmTemplate(templateJson, parameters, RUNTIME);
const example = () => deploy(exampleParameters);

type Json = Record<string, ArmValue>;
const at = (value: ArmValue | undefined, ...path: string[]): ArmValue => {
  let current = value;
  for (const key of path) {
    assert.ok(current !== null && typeof current === 'object' && !Array.isArray(current) && key in current, `no ${path.join('.')}`);
    current = (current as Json)[key];
  }
  return current!;
};

/** The property names an expression reads (reference(x).a.b reads a and b). */
function propertiesRead(node: ArmNode): string[] {
  switch (node.kind) {
    case 'property':
      return [node.name, ...propertiesRead(node.target)];
    case 'index':
      return [...propertiesRead(node.target), ...propertiesRead(node.index)];
    case 'call':
      return node.args.flatMap(propertiesRead);
    default:
      return [];
  }
}

function site(template: ArmTemplate): Json {
  return template.evaluated(template.only('Microsoft.Web/sites'));
}

/** The environment App Service gives the app: its app settings, by name. */
function appSettings(template: ArmTemplate): Record<string, string> {
  const settings = at(site(template), 'properties', 'siteConfig', 'appSettings') as Array<{ name: string; value: string }>;
  const env: Record<string, string> = {};
  for (const { name, value } of settings) {
    assert.equal(typeof value, 'string', `app setting ${name} must be a string`);
    assert.ok(!(name in env), `app setting ${name} is written twice`);
    env[name] = value;
  }
  return env;
}

/** The facts a production deployment on App Service depends on, as app/config reads them. */
function essentials(config: AppConfig) {
  return {
    mode: config.mode,
    storage: config.storage.accountUrl,
    database: config.postgres?.auth,
    graph: config.graph?.connection.credential.kind,
    adminGroup: config.graph?.adminGroupId,
    timeZone: config.timeZoneSource,
  };
}

function essentialsOrError(env: Record<string, string>) {
  try {
    return essentials(loadConfig(env, PROJECT_ROOT));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('infra/main.json (Azure Resource Manager template)', () => {
  it('is a deployment template, and infra/main.parameters.json a parameters file for it', () => {
    assert.equal(templateJson.$schema, DEPLOYMENT_TEMPLATE_SCHEMA);
    assert.equal(parametersJson.$schema, DEPLOYMENT_PARAMETERS_SCHEMA);
    assert.match(templateJson.contentVersion, /^\d+\.\d+\.\d+\.\d+$/);
    assert.ok(Array.isArray(templateJson.resources) && templateJson.resources.length > 0);
  });

  it('reads every parameter it declares and declares every parameter it reads', () => {
    const declared = Object.keys(templateJson.parameters).sort();
    const read = [...new Set(literalArgumentsOf(templateJson, 'parameters'))].sort();
    assert.deepEqual(read, declared);
  });

  it('reads every variable it declares and declares every variable it reads', () => {
    const declared = Object.keys(templateJson.variables).sort();
    const read = [...new Set(literalArgumentsOf(templateJson, 'variables'))].sort();
    assert.deepEqual(read, declared);
  });

  it('has a parameters file with declared parameters only, every required one, and no secret', () => {
    const declared = templateJson.parameters;
    for (const name of Object.keys(exampleParameters)) assert.ok(name in declared, `${PARAMETERS_FILE} sets ${name}, which the template does not declare`);
    const secure = Object.entries(declared).filter(([, p]) => /^secure(string|object)$/i.test(p.type));
    for (const [name, p] of secure) {
      assert.equal(p.defaultValue, undefined, `secure parameter ${name} must have no default`);
      assert.ok(!(name in exampleParameters), `secure parameter ${name} must not be in ${PARAMETERS_FILE}`);
    }
    for (const [name, p] of Object.entries(declared)) {
      if (p.defaultValue === undefined && !secure.some(([s]) => s === name))
        assert.ok(name in exampleParameters, `required parameter ${name} is missing from ${PARAMETERS_FILE}`);
    }
  });

  it('uses only resource types and API versions Microsoft documents', () => {
    for (const resource of example().resources()) {
      const known = KNOWN_API_VERSIONS[resource.type];
      assert.ok(known, `${resource.type} is not in the table of known types`);
      assert.ok(known.includes(resource.apiVersion), `${resource.type}@${resource.apiVersion} is not a known API version (${known.join(', ')})`);
    }
  });

  for (const [scenario, parameters] of Object.entries(SCENARIOS)) {
    it(`resolves every reference(), resource id, dependsOn and scope to a declared resource: ${scenario}`, () => {
      const template = deploy(parameters);
      for (const resource of template.resources()) {
        if (!resource.deployed) continue;
        template.evaluated(resource); // throws on a reference() to anything undeclared
        for (const dependency of (resource.raw.dependsOn as string[] | undefined) ?? []) {
          const id = asString(template.evaluate(dependency), `a dependsOn of ${resource.type} ${resource.name}`);
          assert.ok(template.resourceById(id), `${resource.type} ${resource.name} depends on ${id}, which the template does not declare`);
        }
        if (resource.scopeId)
          assert.ok(
            template.resourceById(resource.scopeId),
            `${resource.type} ${resource.name} applies to ${resource.scopeId}, which the template does not declare`,
          );
      }
      template.outputs();
      const ids = expressionsIn(templateJson)
        .flatMap(callsIn)
        .filter((call) => ['resourceid', 'extensionresourceid'].includes(call.name.toLowerCase()));
      assert.ok(ids.length > 0);
      for (const call of ids) {
        const id = asString(template.evaluateNode(call), `${call.name}(…)`);
        assert.ok(template.resourceById(id), `${call.name}(…) gives ${id}, which the template does not declare`);
      }
    });
  }

  it('gives the identity the built-in storage and Key Vault roles by their ids, at the narrowest scopes', () => {
    const template = example();
    const scopeOf = (type: string) => template.only(type).id;
    const assignments = template
      .resources()
      .filter((r) => r.type === 'Microsoft.Authorization/roleAssignments' && r.deployed)
      .map((r) => {
        const properties = at(template.evaluated(r), 'properties') as Json;
        return {
          role: asString(properties.roleDefinitionId, 'roleDefinitionId').split('/').pop(),
          scope: r.scopeId,
          principal: properties.principalId,
          principalType: properties.principalType,
        };
      });
    const forIdentity = (role: string, scope: string) => ({ role, scope, principal: IDENTITY_PRINCIPAL_ID, principalType: 'ServicePrincipal' });
    assert.deepEqual(assignments, [
      forIdentity(BUILT_IN_ROLES.storageBlobDataContributor, scopeOf('Microsoft.Storage/storageAccounts/blobServices/containers')),
      forIdentity(BUILT_IN_ROLES.storageBlobDelegator, scopeOf('Microsoft.Storage/storageAccounts')),
      forIdentity(BUILT_IN_ROLES.keyVaultSecretsUser, scopeOf('Microsoft.KeyVault/vaults')),
    ]);
    for (const resource of template.resources().filter((r) => r.type === 'Microsoft.Authorization/roleAssignments')) {
      assert.match(
        asString(template.evaluate(at(resource.raw as Json, 'properties', 'roleDefinitionId')), 'roleDefinitionId'),
        /^\/subscriptions\/[^/]+\/providers\/Microsoft\.Authorization\/roleDefinitions\/[0-9a-f-]{36}$/,
      );
    }

    const officer = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const withOfficer = deploy({ ...exampleParameters, keyVaultSecretsOfficerObjectId: officer });
    const officerAssignment = withOfficer
      .resources()
      .find((r) => r.type === 'Microsoft.Authorization/roleAssignments' && r.deployed && at(withOfficer.evaluated(r), 'properties', 'principalId') === officer);
    assert.ok(officerAssignment, 'keyVaultSecretsOfficerObjectId gets Key Vault Secrets Officer');
    assert.equal(
      asString(at(withOfficer.evaluated(officerAssignment), 'properties', 'roleDefinitionId'), 'roleDefinitionId')
        .split('/')
        .pop(),
      BUILT_IN_ROLES.keyVaultSecretsOfficer,
    );
    assert.equal(officerAssignment.scopeId, withOfficer.only('Microsoft.KeyVault/vaults').id);
  });

  it('runs Node 24 LTS on two always-on Linux instances, health-checked on /readyz, HTTPS and TLS 1.2 only, no FTP', () => {
    const template = example();
    const supportedMajor = /(\d+)/.exec(packageJson.engines.node)![1];
    const plan = template.evaluated(template.only('Microsoft.Web/serverfarms'));
    assert.equal(plan.kind, 'linux');
    assert.equal(at(plan, 'properties', 'reserved'), true);
    assert.equal(at(plan, 'sku', 'capacity'), 2);

    const app = site(template);
    const config = at(app, 'properties', 'siteConfig') as Json;
    assert.equal(config.linuxFxVersion, `NODE|${supportedMajor}-lts`);
    assert.equal(config.alwaysOn, true);
    assert.equal(config.healthCheckPath, READY_PATH);
    assert.equal(config.minTlsVersion, '1.2');
    assert.equal(config.scmMinTlsVersion, '1.2');
    assert.equal(config.ftpsState, 'Disabled');
    assert.equal(at(app, 'properties', 'httpsOnly'), true);
    assert.equal(at(app, 'properties', 'clientAffinityEnabled'), false, 'any instance answers any activity');
    assert.equal(at(app, 'properties', 'serverFarmId'), template.only('Microsoft.Web/serverfarms').id);
    const ftp = template.only('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    assert.equal(ftp.name.split('/').pop(), 'ftp');
    assert.equal(at(template.evaluated(ftp), 'properties', 'allow'), false);
  });

  it('starts the app as npm run start:production does, with node itself receiving SIGTERM', () => {
    // "NAME=value … exec node …": the environment goes to app settings, the command to the startup command.
    const words = packageJson.scripts['start:production']!.split(/\s+/);
    const environment = words.filter((w) => /^[A-Z_]+=/.test(w));
    const command = words
      .slice(environment.length)
      .filter((w, i) => !(i === 0 && w === 'exec'))
      .join(' ');
    const template = example();
    assert.equal(at(site(template), 'properties', 'siteConfig', 'appCommandLine'), command);
    const env = appSettings(template);
    for (const assignment of environment) {
      const [name, value] = assignment.split('=') as [string, string];
      assert.equal(env[name], value, `${name} as in start:production`);
    }
  });

  for (const [scenario, parameters] of Object.entries(SCENARIOS)) {
    it(`writes app settings that app/config loads in production: ${scenario}`, () => {
      const template = deploy(parameters);
      const env = appSettings(template);
      const config = loadConfig(env, PROJECT_ROOT);
      const identity = asString(template.evaluate("[variables('identityName')]"), 'identityName');
      const managedBot = parameters.microsoftAppType === 'UserAssignedMSI';

      assert.equal(config.mode, 'production');
      assert.equal(config.appId, managedBot ? IDENTITY_CLIENT_ID : parameters.botAppId);
      assert.equal(config.tenantId, TEST_TENANT_ID);
      assert.equal(config.timeZone, parameters.timeZone);
      assert.equal(config.botFramework.MicrosoftAppType, parameters.microsoftAppType);

      const account = template.only('Microsoft.Storage/storageAccounts');
      assert.equal(config.storage.accountUrl, `https://${account.name}.blob.core.windows.net`);
      assert.equal(config.storage.connectionString, undefined);
      assert.equal(config.storage.container, template.only('Microsoft.Storage/storageAccounts/blobServices/containers').name.split('/').pop());

      const url = new URL(config.postgres!.url);
      assert.equal(config.postgres!.auth, 'entra');
      assert.equal(url.hostname, `${template.only('Microsoft.DBforPostgreSQL/flexibleServers').name}.postgres.database.azure.com`);
      assert.equal(url.username, identity, 'the PostgreSQL role of a managed identity is named as the identity');
      assert.equal(url.pathname.slice(1), template.only('Microsoft.DBforPostgreSQL/flexibleServers/databases').name.split('/').pop());
      assert.equal(env.AZURE_CLIENT_ID, IDENTITY_CLIENT_ID, 'storage and PostgreSQL sign in as the user-assigned identity');

      const credential = config.graph!.connection.credential;
      if (parameters.graphSignIn === 'BotAppSecret' && !managedBot) {
        assert.equal(credential.kind, 'clientSecret');
        assert.equal(credential.kind === 'clientSecret' && credential.clientId, parameters.botAppId);
      } else {
        assert.deepEqual(credential, { kind: 'managedIdentity', clientId: IDENTITY_CLIENT_ID });
      }
      assert.equal(config.graph!.adminGroupId, parameters.privacyAdminGroupId);

      const stopSeconds = Number(env.WEBSITES_CONTAINER_STOP_TIME_LIMIT);
      assert.ok(
        config.shutdownGraceMs > 0 && config.shutdownGraceMs < stopSeconds * 1000,
        `SHUTDOWN_GRACE_MS ${config.shutdownGraceMs} must end before App Service's stop limit of ${stopSeconds} s`,
      );
      assert.ok(Number(parameters.instanceCount) * config.postgres!.maxConnections <= 50, 'instances × connections stay within Standard_B1ms max_connections');
    });
  }

  it('sets each setting that app/config requires in production (without it the app would not start, or not as production)', () => {
    const env = appSettings(example());
    const intended = essentials(loadConfig(env, PROJECT_ROOT));
    const required = Object.keys(env).filter((name) => {
      const { [name]: _removed, ...rest } = env;
      return JSON.stringify(essentialsOrError(rest)) !== JSON.stringify(intended);
    });
    for (const name of REQUIRED_IN_PRODUCTION) assert.ok(required.includes(name), `${name} should be load-bearing`);
    assert.ok(required.includes('MicrosoftAppPassword'), 'a SingleTenant bot needs its secret');
    assert.ok(
      required.some((name) => name.startsWith('GRAPH_')),
      'production needs a directory: Graph',
    );
  });

  it('writes only settings that the app (.env.example lists each) or the platform reads', () => {
    const documented = new Set([...readFileSync(projectPath('.env.example'), 'utf8').matchAll(/^#?\s*([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]!));
    for (const name of Object.keys(appSettings(example()))) {
      assert.ok(documented.has(name) || PLATFORM_SETTINGS.has(name), `${name} is neither in .env.example nor a known platform setting`);
    }
  });

  it('keeps the bot secret in Key Vault: app settings hold a versionless reference, resolved by the identity', () => {
    const template = example();
    const vault = template.only('Microsoft.KeyVault/vaults');
    const properties = at(template.evaluated(vault), 'properties') as Json;
    assert.equal(properties.enableRbacAuthorization, true);
    assert.equal(properties.enablePurgeProtection, true);
    assert.equal(properties.tenantId, TEST_TENANT_ID);

    const reference = /^@Microsoft\.KeyVault\(SecretUri=https:\/\/([^/.]+)\.vault\.azure\.net\/secrets\/([^/]+)\/\)$/.exec(
      appSettings(template).MicrosoftAppPassword!,
    );
    assert.ok(reference, 'MicrosoftAppPassword is a Key Vault reference');
    assert.equal(reference[1], vault.name);
    assert.equal(reference[2], template.outputs().botPasswordSecretName);
    const identityId = template.only('Microsoft.ManagedIdentity/userAssignedIdentities').id;
    assert.equal(at(site(template), 'properties', 'keyVaultReferenceIdentity'), identityId);
    assert.deepEqual(at(site(template), 'identity'), { type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } });

    const viaSecret = appSettings(deploy(SCENARIOS['Graph through the bot app registration']!));
    assert.equal(viaSecret.GRAPH_CLIENT_SECRET, appSettings(template).MicrosoftAppPassword);
    assert.equal(appSettings(deploy(SCENARIOS['a user-assigned managed identity as the bot']!)).MicrosoftAppPassword, '');
  });

  it('stores packages in a private container of an Entra-only, HTTPS-only account, with a lifecycle rule on kept sources', () => {
    const template = example();
    const account = template.evaluated(template.only('Microsoft.Storage/storageAccounts'));
    assert.deepEqual(
      (({ allowBlobPublicAccess, allowSharedKeyAccess, supportsHttpsTrafficOnly, minimumTlsVersion }) => ({
        allowBlobPublicAccess,
        allowSharedKeyAccess,
        supportsHttpsTrafficOnly,
        minimumTlsVersion,
      }))(account.properties as Json),
      { allowBlobPublicAccess: false, allowSharedKeyAccess: false, supportsHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_2' },
    );
    const container = template.only('Microsoft.Storage/storageAccounts/blobServices/containers');
    assert.equal(at(template.evaluated(container), 'properties', 'publicAccess'), 'None');

    const rules = at(template.evaluated(template.only('Microsoft.Storage/storageAccounts/managementPolicies')), 'properties', 'policy', 'rules') as Json[];
    assert.equal(rules.length, 1);
    const rule = rules[0]!;
    assert.equal(rule.enabled, true);
    assert.deepEqual(at(rule, 'definition', 'filters', 'prefixMatch'), [`${container.name.split('/').pop()}/${KEPT_FILES_ROOT}`]);
    assert.equal(at(rule, 'definition', 'actions', 'baseBlob', 'delete', 'daysAfterModificationGreaterThan'), template.parameter('keptSourcesDeleteAfterDays'));
    // A day: a retry after that reads the source again (test/integration/failedExport.test.ts).
    assert.equal(template.parameter('keptSourcesDeleteAfterDays'), 1);
  });

  it('creates PostgreSQL with Entra sign-in only, the database DATABASE_URL names, and the Azure-services rule only when asked', () => {
    const template = example();
    const server = template.evaluated(template.only('Microsoft.DBforPostgreSQL/flexibleServers'));
    assert.deepEqual(at(server, 'properties', 'authConfig'), { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled', tenantId: TEST_TENANT_ID });
    assert.ok(
      !('administratorLogin' in (server.properties as Json)) && !('administratorLoginPassword' in (server.properties as Json)),
      'no password login exists',
    );
    assert.equal(at(server, 'properties', 'network', 'publicNetworkAccess'), 'Enabled');
    const admin = template.only('Microsoft.DBforPostgreSQL/flexibleServers/administrators');
    assert.equal(admin.name.split('/').pop(), exampleParameters.postgresAdminObjectId);

    const rule = template.resources().find((r) => r.type === 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules')!;
    assert.equal(rule.deployed, true);
    assert.deepEqual(at(template.evaluated(rule), 'properties'), { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' });
    const privateOnly = deploy({ ...exampleParameters, postgresAllowAzureServices: false });
    assert.equal(privateOnly.resources().find((r) => r.type === rule.type)!.deployed, false);
  });

  it('registers the Azure Bot for the app id and tenant the app runs with, at the web app, with the Teams channel on', () => {
    for (const parameters of Object.values(SCENARIOS)) {
      const template = deploy(parameters);
      const env = appSettings(template);
      const bot = template.evaluated(template.only('Microsoft.BotService/botServices'));
      const properties = bot.properties as Json;
      assert.equal(bot.location, 'global');
      assert.equal(properties.msaAppType, env.MicrosoftAppType);
      assert.equal(properties.msaAppId, env.MicrosoftAppId);
      assert.equal(properties.msaAppTenantId, env.MicrosoftAppTenantId);
      assert.equal(properties.endpoint, `https://${template.only('Microsoft.Web/sites').name}.azurewebsites.net${MESSAGES_PATH}`);
      // The tab's page and its sign-in audience are on the same host the bot is reached at.
      assert.equal(`https://${env.BOT_PUBLIC_HOSTNAME}${MESSAGES_PATH}`, properties.endpoint);
      assert.equal(loadConfig(env, PROJECT_ROOT).tabSso?.audience, `api://${env.BOT_PUBLIC_HOSTNAME}/${env.MicrosoftAppId}`);
      assert.equal(
        properties.msaAppMSIResourceId,
        parameters.microsoftAppType === 'UserAssignedMSI' ? template.only('Microsoft.ManagedIdentity/userAssignedIdentities').id : null,
      );
    }
    const template = example();
    const channel = template.only('Microsoft.BotService/botServices/channels');
    assert.equal(channel.name, `${template.only('Microsoft.BotService/botServices').name}/MsTeamsChannel`);
    assert.deepEqual(at(template.evaluated(channel), 'properties'), {
      channelName: 'MsTeamsChannel',
      properties: { isEnabled: true, acceptedTerms: true, deploymentEnvironment: 'CommercialDeployment' },
    });
  });

  it('ships the app logs to Log Analytics and connects Application Insights to the same workspace', () => {
    const template = example();
    const workspace = template.only('Microsoft.OperationalInsights/workspaces');
    const diagnostics = template.only('Microsoft.Insights/diagnosticSettings');
    assert.equal(diagnostics.scopeId, template.only('Microsoft.Web/sites').id);
    const properties = at(template.evaluated(diagnostics), 'properties') as Json;
    assert.equal(properties.workspaceId, workspace.id);
    const categories = (properties.logs as Json[]).filter((log) => log.enabled === true).map((log) => log.category);
    for (const category of ['AppServiceConsoleLogs', 'AppServiceAppLogs']) assert.ok(categories.includes(category), `${category} goes to the workspace`);

    assert.equal(at(template.evaluated(template.only('Microsoft.Insights/components')), 'properties', 'WorkspaceResourceId'), workspace.id);
    assert.equal(appSettings(template).APPLICATIONINSIGHTS_CONNECTION_STRING, APP_INSIGHTS_CONNECTION_STRING);
  });

  it('puts no secret in an output', () => {
    const secure = new Set(
      Object.entries(templateJson.parameters)
        .filter(([, p]) => /^secure/i.test(p.type))
        .map(([name]) => name),
    );
    for (const [name, output] of Object.entries(templateJson.outputs)) {
      assert.ok(!/^secure/i.test(output.type), `output ${name} is of a secure type`);
      for (const node of expressionsIn(output.value)) {
        for (const call of callsIn(node)) {
          assert.ok(!/^list/i.test(call.name), `output ${name} calls ${call.name}()`);
          if (call.name.toLowerCase() === 'parameters')
            assert.ok(!secure.has(String((call.args[0] as { value: string }).value)), `output ${name} reads a secure parameter`);
        }
        for (const property of propertiesRead(node)) assert.doesNotMatch(property, SECRET_OUTPUT_PROPERTY, `output ${name} reads ${property}`);
      }
    }
    for (const parameters of Object.values(SCENARIOS)) {
      const values = JSON.stringify(deploy(parameters).outputs());
      assert.doesNotMatch(values, /@Microsoft\.KeyVault/);
      assert.ok(!values.includes(APP_INSIGHTS_CONNECTION_STRING));
    }
  });
});
