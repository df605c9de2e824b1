import { ConfigurationError } from '@upgrade-actions/common';
import { parseRelease, serializeRelease, type Release } from '@upgrade-actions/release';

const good: Release = {
  version: 'v1',
  cluster: { context: 'kind-upgrade', kubernetesVersion: '1.31' },
  namespace: 'shop',
  images: { 'ghcr.io/acme/web': 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64) },
  workloads: [
    {
      kind: 'Deployment',
      name: 'web',
      namespace: 'shop',
      revisionBefore: 3,
      revisionAfter: 4,
      changeCause: 'upgrade web to 1.2.4',
    },
    { kind: 'StatefulSet', name: 'db', namespace: 'shop', revisionBefore: null, revisionAfter: 1 },
  ],
};

describe('the release descriptor', () => {
  test('round-trips through its JSON form', () => {
    expect(parseRelease(serializeRelease(good))).toEqual(good);
  });

  test('fills defaults for the optional cluster and images sections', () => {
    const r = parseRelease('{"version":"v1","namespace":"shop","workloads":[]}');
    expect(r.cluster).toEqual({});
    expect(r.images).toEqual({});
  });

  test.each([
    ['{not json', /input 'release' is not valid JSON .*; pass the 'release' output of the deploy step/],
    [
      '{"version":"v2","namespace":"x","workloads":[]}',
      /has release descriptor version "v2"; this version reads "v1"/,
    ],
    ['{"version":"v1","workloads":[]}', /not a valid release descriptor: namespace: /],
    [
      '{"version":"v1","namespace":"x","workloads":[{"kind":"CronJob","name":"a","namespace":"x","revisionBefore":1,"revisionAfter":2}]}',
      /workloads\.0\.kind: /,
    ],
    [
      '{"version":"v1","namespace":"x","workloads":[{"kind":"Deployment","name":"a","namespace":"x","revisionBefore":-1,"revisionAfter":2}]}',
      /workloads\.0\.revisionBefore: /,
    ],
    ['{"version":"v1","namespace":"x","workloads":[],"extra":1}', /Unrecognized key/],
  ])('malformed input %s is a configuration error saying what is wrong', (text, message) => {
    expect(() => parseRelease(text)).toThrow(ConfigurationError);
    expect(() => parseRelease(text)).toThrow(message);
  });

  test('errors name where the descriptor came from', () => {
    expect(() => parseRelease('[]', 'file release.json')).toThrow(
      /^file release\.json is not a valid release descriptor/,
    );
  });
});
