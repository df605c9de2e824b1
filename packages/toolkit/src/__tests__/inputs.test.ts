import { ConfigurationError } from '@upgrade-actions/common';
import { defineAction, input, parseInputs, toCamel } from '@upgrade-actions/toolkit';

const def = defineAction({
  name: 'example',
  description: 'an example',
  inputs: {
    base: input.string({ description: 'base ref' }),
    'fail-on-conflict': input.boolean({ description: 'fail', default: 'true' }),
    replicas: input.integer({ description: 'replicas', default: '3', min: 1, max: 100 }),
    ratio: input.number({ description: 'ratio', default: '0.5', min: 0, max: 1 }),
    paths: input.list({ description: 'paths', default: '' }),
    timeout: input.duration({ description: 'timeout', default: '5m' }),
    mode: input.choice(['once', 'watch'] as const, { description: 'mode', default: 'once' }),
    token: input.string({ description: 'token', required: true, secret: true }),
    extra: input.json(
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (await import('zod')).z.object({ a: (await import('zod')).z.number() }) as any,
      { description: 'extra', hint: 'an object {"a": <number>}' },
    ),
  },
  outputs: { result: 'the result' },
});

const from = (values: Record<string, string>) => (name: string) => values[name];

describe('parseInputs', () => {
  test("an expression default is the runner's to fill: an empty value stays empty, never the expression's text", () => {
    const withToken = defineAction({
      name: 'example',
      description: 'an example',
      inputs: { token: input.string({ description: 'token', default: '${{ github.token }}', secret: true }) },
      outputs: {},
    });
    expect(parseInputs(withToken, from({ token: '' }))).toEqual({ token: '' });
    expect(parseInputs(withToken, from({}))).toEqual({ token: '' });
    expect(parseInputs(withToken, from({ token: 'ghs_x' }))).toEqual({ token: 'ghs_x' });
  });

  test('defaults apply when an input is empty and values are typed', () => {
    const got = parseInputs(def, from({ token: 's3cret', paths: 'a\n\n# comment\nb ' }));
    expect(got).toEqual({
      base: '',
      failOnConflict: true,
      replicas: 3,
      ratio: 0.5,
      paths: ['a', 'b'],
      timeout: 300_000,
      mode: 'once',
      token: 's3cret',
      extra: undefined,
    });
  });

  test.each([
    ['fail-on-conflict', 'maybe', 'Input \'fail-on-conflict\' must be true or false, got "maybe"'],
    ['replicas', '0', 'Input \'replicas\' must be a whole number from 1 to 100, got "0"'],
    ['replicas', '2.5', 'Input \'replicas\' must be a whole number from 1 to 100, got "2.5"'],
    ['ratio', '2', 'Input \'ratio\' must be a number in [0, 1], got "2"'],
    ['timeout', 'soon', 'Input \'timeout\' must be a duration such as 90s, 5m or 1h30m, got "soon"'],
    ['mode', 'always', 'Input \'mode\' must be one of once, watch, got "always"'],
  ])(
    'a bad %s (%s) fails with a configuration error naming it and what is accepted',
    (name, value, message) => {
      expect(() => parseInputs(def, from({ token: 't', [name]: value }))).toThrow(
        new ConfigurationError(message),
      );
    },
  );

  test('a malformed JSON input names the expected shape', () => {
    expect(() => parseInputs(def, from({ token: 't', extra: '{"a": "x"}' }))).toThrow(
      /Input 'extra' is not an object \{"a": <number>\} at a/,
    );
    expect(() => parseInputs(def, from({ token: 't', extra: '{' }))).toThrow(
      /Input 'extra' must be valid JSON/,
    );
  });

  test('a missing required input is reported, every problem at once, and secrets are never echoed', () => {
    const secrets: string[] = [];
    let err: Error | undefined;
    try {
      parseInputs(def, from({ mode: 'x', replicas: 'y' }), (s) => secrets.push(s));
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err!.message.split('\n')).toEqual([
      'Input \'replicas\' must be a whole number from 1 to 100, got "y"',
      'Input \'mode\' must be one of once, watch, got "x"',
      'Input required and not supplied: token',
    ]);
  });

  test('secret values are handed to the masker before parsing', () => {
    const secrets: string[] = [];
    parseInputs(def, from({ token: 'hunter2' }), (s) => secrets.push(s));
    expect(secrets).toEqual(['hunter2']);
  });

  test('input names become camelCase identifiers', () => {
    expect(toCamel('fail-on-conflict')).toBe('failOnConflict');
    expect(toCamel('working-directory')).toBe('workingDirectory');
  });
});

describe('inputs with a check of their value', () => {
  const checked = defineAction({
    name: 'checked',
    description: 'values that land in Kubernetes objects',
    inputs: {
      namespace: input.string({
        description: 'namespace',
        default: '',
        check: (v) => (/^[a-z0-9-]+$/.test(v) ? undefined : 'must be a namespace name'),
      }),
      workloads: input.list({
        description: 'workloads',
        default: '',
        check: (v) => (v.includes('/') ? undefined : 'must be TYPE/NAME'),
      }),
    },
    outputs: {},
  });
  const env = (values: Record<string, string>) => (name: string) => values[name];

  test('an empty value takes its default without being checked', () => {
    expect(parseInputs(checked, env({}))).toEqual({ namespace: '', workloads: [] });
  });

  test('a value the check refuses is named with what the check says, every list item on its own', () => {
    expect(() => parseInputs(checked, env({ namespace: 'Prod', workloads: 'deploy/web\nweb\nsts' }))).toThrow(
      new ConfigurationError(
        `Input 'namespace' must be a namespace name, got "Prod"\n` +
          `Input 'workloads' "web": must be TYPE/NAME; "sts": must be TYPE/NAME, got "deploy/web\\nweb\\nsts"`,
      ),
    );
    expect(parseInputs(checked, env({ namespace: 'prod', workloads: 'deploy/web' }))).toEqual({
      namespace: 'prod',
      workloads: ['deploy/web'],
    });
  });
});
