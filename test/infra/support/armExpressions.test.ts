import assert from 'node:assert/strict';
import {
  ArmExpressionError,
  asString,
  callsIn,
  evaluateArm,
  literalArgumentsOf,
  parseArmExpression,
  readArmString,
  STANDARD_FUNCTIONS,
} from './armExpressions';
import { ArmTemplate, TEST_TENANT_ID } from './armTemplate';

const evaluate = (expression: string) => evaluateArm(parseArmExpression(expression), STANDARD_FUNCTIONS);

describe('ARM expression reader (test support for infra/)', () => {
  it('tells expressions from literals, "[[" being an escaped literal', () => {
    assert.equal(readArmString('plain').kind, 'literal');
    assert.deepEqual(readArmString('[[not an expression]'), { kind: 'literal', value: '[not an expression]' });
    assert.equal(readArmString("[toLower('A')]").kind, 'expression');
  });

  it('finds nested calls and their literal arguments, with quotes doubled inside strings', () => {
    const node = parseArmExpression("format('{0}''s {1}', parameters('who'), reference(variables('id')).clientId)");
    assert.deepEqual(
      callsIn(node).map((call) => call.name),
      ['format', 'parameters', 'reference', 'variables'],
    );
    assert.deepEqual(literalArgumentsOf({ a: "[parameters('x')]", list: ["[concat(parameters('y'), 'z')]"], "[parameters('key')]": 1 }, 'parameters'), [
      'x',
      'y',
      'key',
    ]);
  });

  it('evaluates the pure functions the template uses', () => {
    assert.equal(evaluate("format('{0}-{1}', 'a', 2)"), 'a-2');
    assert.equal(evaluate("format('{{literal}} {0}', 'x')"), '{literal} x');
    assert.equal(evaluate("take(replace(toLower('My-Name'), '-', ''), 4)"), 'myna');
    assert.equal(evaluate('string(mul(sub(30, 10), 1000))'), '20000');
    assert.equal(evaluate("if(and(not(empty('')), equals(1, 1)), 'yes', 'no')"), 'no');
    assert.match(asString(evaluate("uniqueString('rg')"), 'uniqueString()'), /^[a-z0-9]{13}$/);
    assert.equal(evaluate("guid('a', 'b')"), evaluate("guid('a', 'b')"));
    assert.match(asString(evaluate("guid('a')"), 'guid()'), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('evaluates only the branch if() picks, as ARM does', () => {
    assert.equal(evaluate("if(equals(1, 1), 'taken', unknownFunction())"), 'taken');
  });

  it('refuses what it cannot read rather than guessing', () => {
    assert.throws(() => parseArmExpression("format('unterminated)"), ArmExpressionError);
    assert.throws(() => parseArmExpression("parameters('a'))"), ArmExpressionError);
    assert.throws(() => evaluate("someNewFunction('a')"), /someNewFunction\(\) is not known/);
    assert.throws(() => literalArgumentsOf("[parameters(variables('name'))]", 'parameters'), /computed name/);
  });
});

describe('ARM template model (test support for infra/)', () => {
  const template = new ArmTemplate(
    {
      parameters: { name: { type: 'string' }, region: { type: 'string', defaultValue: '[resourceGroup().location]' } },
      variables: { accountId: "[resourceId('Microsoft.Storage/storageAccounts', parameters('name'))]", self: "[variables('self')]" },
      resources: [
        { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-05-01', name: "[parameters('name')]" },
        { type: 'Microsoft.Storage/storageAccounts/blobServices/containers', apiVersion: '2023-05-01', name: "[format('{0}/default/c', parameters('name'))]" },
        {
          type: 'Microsoft.Authorization/roleAssignments',
          apiVersion: '2022-04-01',
          name: 'r',
          scope: "[format('Microsoft.Storage/storageAccounts/{0}', parameters('name'))]",
        },
        { condition: false, type: 'Microsoft.KeyVault/vaults', apiVersion: '2023-07-01', name: 'kv' },
      ],
    },
    { name: 'acct' },
    { 'Microsoft.Storage/storageAccounts': ({ name }) => ({ primaryEndpoints: { blob: `https://${name}.blob.core.windows.net/` } }) },
  );

  it('gives child, extension and conditional resources the ids Azure would', () => {
    const [account, container, assignment, vault] = template.resources();
    assert.equal(container!.id, `${account!.id}/blobServices/default/containers/c`);
    assert.equal(assignment!.scopeId, account!.id);
    assert.equal(assignment!.id, `${account!.id}/providers/Microsoft.Authorization/roleAssignments/r`);
    assert.equal(vault!.deployed, false);
    assert.equal(template.resourceById(asString(template.variable('accountId'), 'accountId')), account);
  });

  it('answers reference() only for a resource the template deploys', () => {
    assert.equal(template.evaluate("[reference(variables('accountId')).primaryEndpoints.blob]"), 'https://acct.blob.core.windows.net/');
    assert.throws(() => template.evaluate("[reference(resourceId('Microsoft.Storage/storageAccounts', 'other'))]"), /names no single resource/);
    assert.throws(() => template.evaluate("[reference('kv')]"), /leaves out/);
  });

  it('uses defaults, and refuses undeclared or circular names', () => {
    assert.equal(template.parameter('region'), 'westeurope');
    assert.equal(template.evaluate('[subscription().tenantId]'), TEST_TENANT_ID);
    assert.throws(() => template.parameter('missing'), /not declared/);
    assert.throws(() => template.variable('self'), /depends on itself/);
  });
});
