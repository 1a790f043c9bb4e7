/**
 * An ARM template as Azure would see it for one set of parameter values: parameters (given, else
 * their defaults), variables, resource ids, and reference() answered from stand-in runtime
 * properties per resource type. reference() and resourceId-style ids must name a resource the
 * template declares, which is how a test proves they resolve. It covers what infra/main.json uses:
 * resource-group deployments, classic (non-symbolic) resources, extension resources with a scope;
 * no copy loops or nested deployments.
 */
import { asString, evaluateArm, readArmString, STANDARD_FUNCTIONS, ArmExpressionError, type ArmFunction, type ArmNode, type ArmValue } from './armExpressions';

export const TEST_SUBSCRIPTION_ID = '11111111-2222-4333-8444-555555555555';
export const TEST_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const TEST_RESOURCE_GROUP = 'privacy-desk-rg';
export const TEST_LOCATION = 'westeurope';

const RESOURCE_GROUP_ID = `/subscriptions/${TEST_SUBSCRIPTION_ID}/resourceGroups/${TEST_RESOURCE_GROUP}`;

/** environment() for the Azure public cloud (the suffixes ARM documents for AzureCloud). */
const PUBLIC_CLOUD = {
  name: 'AzureCloud',
  suffixes: { storage: 'core.windows.net', keyvaultDns: '.vault.azure.net', sqlServerHostname: '.database.windows.net' },
};

/** What reference() returns for a deployed resource of a type: the runtime properties a test needs. */
export type RuntimeProperties = Readonly<Record<string, (resource: { readonly name: string; readonly id: string }) => ArmValue>>;

export interface DeployedResource {
  readonly type: string;
  readonly apiVersion: string;
  /** The full name, parent segments included (account/default/container). */
  readonly name: string;
  readonly id: string;
  /** For an extension resource: the id of the resource it applies to. */
  readonly scopeId?: string;
  /** False when the resource's condition leaves it out of this deployment. */
  readonly deployed: boolean;
  /** The resource as written in the template, unevaluated. */
  readonly raw: Readonly<Record<string, unknown>>;
}

interface TemplateJson {
  readonly parameters?: Record<string, { type: string; defaultValue?: unknown }>;
  readonly variables?: Record<string, unknown>;
  readonly resources: ReadonlyArray<Record<string, unknown>>;
  readonly outputs?: Record<string, { type: string; value: unknown }>;
}

/** /subscriptions/…/providers/Microsoft.X/a/n1/b/n2 for type Microsoft.X/a/b and names n1, n2. */
function typedPath(type: string, names: readonly string[]): string {
  const [namespace, ...types] = type.split('/');
  if (types.length !== names.length) throw new ArmExpressionError(`${type} needs ${types.length} name segment(s), got ${names.length}: ${names.join('/')}`);
  return `providers/${namespace}/${types.map((t, i) => `${t}/${names[i]}`).join('/')}`;
}

/** Turns a scope written as Microsoft.X/a/name (relative to the resource group) into a full id. */
function scopeToId(scope: string): string {
  return scope.startsWith('/') ? scope : `${RESOURCE_GROUP_ID}/providers/${scope}`;
}

export class ArmTemplate {
  private readonly variableValues = new Map<string, ArmValue>();
  private readonly variablesInProgress = new Set<string>();
  private readonly functions: Readonly<Record<string, ArmFunction>>;
  private deployedCache: DeployedResource[] | undefined;

  constructor(
    readonly json: TemplateJson,
    private readonly parameterValues: Readonly<Record<string, ArmValue>>,
    private readonly runtime: RuntimeProperties,
  ) {
    this.functions = {
      ...STANDARD_FUNCTIONS,
      parameters: ([name]) => this.parameter(asString(name, 'parameters')),
      variables: ([name]) => this.variable(asString(name, 'variables')),
      resourcegroup: () => ({ id: RESOURCE_GROUP_ID, name: TEST_RESOURCE_GROUP, location: TEST_LOCATION }),
      subscription: () => ({ id: `/subscriptions/${TEST_SUBSCRIPTION_ID}`, subscriptionId: TEST_SUBSCRIPTION_ID, tenantId: TEST_TENANT_ID }),
      environment: () => PUBLIC_CLOUD,
      resourceid: ([type, ...names]) =>
        `${RESOURCE_GROUP_ID}/${typedPath(
          asString(type, 'resourceId'),
          names.map((name) => asString(name, 'resourceId')),
        )}`,
      subscriptionresourceid: ([type, ...names]) =>
        `/subscriptions/${TEST_SUBSCRIPTION_ID}/${typedPath(
          asString(type, 'subscriptionResourceId'),
          names.map((name) => asString(name, 'subscriptionResourceId')),
        )}`,
      extensionresourceid: ([scopeId, type, ...names]) =>
        `${asString(scopeId, 'extensionResourceId')}/${typedPath(
          asString(type, 'extensionResourceId'),
          names.map((name) => asString(name, 'extensionResourceId')),
        )}`,
      reference: ([target]) => this.reference(asString(target, 'reference')),
    };
  }

  parameter(name: string): ArmValue {
    if (name in this.parameterValues) return this.parameterValues[name]!;
    const declared = this.json.parameters?.[name];
    if (!declared) throw new ArmExpressionError(`parameters('${name}') is not declared`);
    if (declared.defaultValue === undefined) throw new ArmExpressionError(`parameter ${name} has no value and no default`);
    return this.evaluate(declared.defaultValue);
  }

  variable(name: string): ArmValue {
    if (this.variableValues.has(name)) return this.variableValues.get(name)!;
    const declared = this.json.variables?.[name];
    if (declared === undefined) throw new ArmExpressionError(`variables('${name}') is not declared`);
    if (this.variablesInProgress.has(name)) throw new ArmExpressionError(`variable ${name} depends on itself`);
    this.variablesInProgress.add(name);
    try {
      const value = this.evaluate(declared);
      this.variableValues.set(name, value);
      return value;
    } finally {
      this.variablesInProgress.delete(name);
    }
  }

  /** Evaluates a template value: expressions in strings and in object keys, recursively. */
  evaluate(json: unknown): ArmValue {
    if (typeof json === 'string') {
      const read = readArmString(json);
      return read.kind === 'literal' ? read.value : evaluateArm(read.node, this.functions);
    }
    if (Array.isArray(json)) return json.map((item) => this.evaluate(item));
    if (json !== null && typeof json === 'object') {
      return Object.fromEntries(Object.entries(json).map(([key, value]) => [asString(this.evaluate(key), 'an object key'), this.evaluate(value)]));
    }
    if (typeof json === 'number' || typeof json === 'boolean' || json === null) return json;
    throw new ArmExpressionError(`cannot evaluate a value of type ${typeof json}`);
  }

  /** Evaluates one parsed expression (a call found by callsIn, say) in this deployment. */
  evaluateNode(node: ArmNode): ArmValue {
    return evaluateArm(node, this.functions);
  }

  /** Every resource with its evaluated name, id and condition. */
  resources(): DeployedResource[] {
    this.deployedCache ??= this.json.resources.map((raw) => {
      if ('copy' in raw) throw new ArmExpressionError('copy loops are not supported by this reader');
      const type = String(raw.type);
      const name = asString(this.evaluate(raw.name), `the name of a ${type}`);
      const scopeId = raw.scope === undefined ? undefined : scopeToId(asString(this.evaluate(raw.scope), `the scope of a ${type}`));
      const path = typedPath(type, name.split('/'));
      return {
        type,
        apiVersion: String(raw.apiVersion),
        name,
        id: `${scopeId ?? RESOURCE_GROUP_ID}/${path}`,
        ...(scopeId ? { scopeId } : {}),
        deployed: raw.condition === undefined ? true : this.evaluate(raw.condition) === true,
        raw,
      };
    });
    return this.deployedCache;
  }

  /** The declared resource with this id (case-insensitive, as Azure ids are), or undefined. */
  resourceById(id: string): DeployedResource | undefined {
    return this.resources().find((resource) => resource.id.toLowerCase() === id.toLowerCase());
  }

  /** The one deployed resource of a type; throws when there is none or several. */
  only(type: string): DeployedResource {
    const found = this.resources().filter((resource) => resource.type === type && resource.deployed);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0]!;
  }

  /** A resource's properties (or any other member) evaluated for this deployment. */
  evaluated(resource: DeployedResource): Record<string, ArmValue> {
    return this.evaluate(resource.raw) as Record<string, ArmValue>;
  }

  outputs(): Record<string, ArmValue> {
    return Object.fromEntries(Object.entries(this.json.outputs ?? {}).map(([name, output]) => [name, this.evaluate(output.value)]));
  }

  private reference(target: string): ArmValue {
    const matches = target.startsWith('/') ? [this.resourceById(target)].filter((r) => r !== undefined) : this.resources().filter((r) => r.name === target);
    if (matches.length !== 1) throw new ArmExpressionError(`reference('${target}') names no single resource declared in the template`);
    const resource = matches[0]!;
    if (!resource.deployed) throw new ArmExpressionError(`reference('${target}') names a resource this deployment leaves out`);
    const properties = this.runtime[resource.type];
    if (!properties) throw new ArmExpressionError(`no runtime properties for ${resource.type}; add them to the test`);
    return properties(resource);
  }
}
