import { ConfigurationError } from '@upgrade-actions/common';
import {
  checkImagePolicy,
  formatImageReference,
  imageOverridesProblem,
  imageReferenceProblem,
  parseImageOverrides,
  parseImageReference,
} from '@upgrade-actions/images';

const D = 'sha256:' + 'ab'.repeat(32);

describe('parseImageReference', () => {
  test.each([
    ['nginx', 'docker.io', 'library/nginx', undefined, undefined],
    ['nginx:1.27', 'docker.io', 'library/nginx', '1.27', undefined],
    ['bitnami/redis:7.2', 'docker.io', 'bitnami/redis', '7.2', undefined],
    ['ghcr.io/acme/web:v1.2.3', 'ghcr.io', 'acme/web', 'v1.2.3', undefined],
    [`ghcr.io/acme/web@${D}`, 'ghcr.io', 'acme/web', undefined, D],
    [`ghcr.io/acme/web:1.2@${D}`, 'ghcr.io', 'acme/web', '1.2', D],
    ['localhost:5000/app:dev', 'localhost:5000', 'app', 'dev', undefined],
    ['registry.k8s.io/kube-proxy:v1.31.0', 'registry.k8s.io', 'kube-proxy', 'v1.31.0', undefined],
    ['index.docker.io/library/alpine:3', 'docker.io', 'library/alpine', '3', undefined],
  ])('%s → registry %s, repository %s, tag %s, digest %s', (text, registry, repository, tag, digest) => {
    expect(parseImageReference(text)).toEqual({ original: text, registry, repository, tag, digest });
  });

  test.each(['', 'acme/Web', 'nginx:', 'nginx:-bad', 'nginx@sha256:123', 'a//b', 'nginx:1.0@md5'])(
    '"%s" is rejected with the accepted form',
    (text) => {
      expect(() => parseImageReference(text, "input 'images'")).toThrow(ConfigurationError);
      expect(() => parseImageReference(text, "input 'images'")).toThrow(
        /expected \[registry\/\]name\[:tag\]\[@sha256:<64 hex>\]/,
      );
    },
  );

  test.each([
    ['x; touch /tmp/p', /bad name component "x; touch "/],
    ['EVIL HOST.$(id)/web:1', /bad registry "EVIL HOST\.\$\(id\)"/],
    ['-registry.io/web:1', /bad registry "-registry\.io"/],
    ['registry.io:port/web:1', /bad registry "registry\.io:port"/],
    [`ghcr.io/${'a'.repeat(250)}:1`, /name longer than 255 characters/],
  ])('"%s" is not a reference: the registry and the length are the grammar\'s too', (text, why) => {
    expect(() => parseImageReference(text)).toThrow(why);
  });

  test.each(['Registry.IO:5000/web:1', '[::1]:5000/web:1', `ghcr.io/${'a'.repeat(247)}:1`])(
    '%s is a reference',
    (text) => expect(() => parseImageReference(text)).not.toThrow(),
  );

  test('formats back to the canonical full form', () => {
    expect(formatImageReference(parseImageReference('nginx:1.27'))).toBe('docker.io/library/nginx:1.27');
  });
});

describe('checkImagePolicy', () => {
  const prod = { forbidLatest: true, requireDigest: false };
  test.each([
    ['nginx:latest', ['latest-tag']],
    ['nginx', ['latest-tag']],
    ['nginx:1.27', []],
    [`nginx:latest@${D}`, []],
  ])('with latest forbidden, %s violates %j', (image, rules) => {
    expect(checkImagePolicy([image], prod).map((v) => v.rule)).toEqual(rules);
  });

  test('requiring digests flags every unpinned image and says how to pin', () => {
    const v = checkImagePolicy(['ghcr.io/a/b:1', `ghcr.io/a/c@${D}`], {
      forbidLatest: false,
      requireDigest: true,
    });
    expect(v).toEqual([
      {
        image: 'ghcr.io/a/b:1',
        rule: 'missing-digest',
        message: 'image ghcr.io/a/b:1 has no digest; pin it as name@sha256:<digest>',
      },
    ]);
  });
});

describe('image overrides as an input check', () => {
  test('valid overrides, in lines or JSON, have no problem', () => {
    expect(imageOverridesProblem(`ghcr.io/acme/web=ghcr.io/acme/web@${D}\nnginx:1.27`)).toBeUndefined();
    expect(imageOverridesProblem('{"nginx": "nginx:1.27"}')).toBeUndefined();
    expect(parseImageOverrides('nginx=nginx:1.27').get('docker.io/library/nginx')).toBe('nginx:1.27');
  });
  test('a hostile reference is named with what is accepted', () => {
    expect(imageOverridesProblem('web=x; touch /tmp/p')).toBe(
      'must be name=reference lines or a JSON object of name to reference: reference for web "x; touch /tmp/p" is not a valid image reference (bad name component "x; touch "); expected [registry/]name[:tag][@sha256:<64 hex>]',
    );
    expect(imageReferenceProblem('$(id)')).toMatch(
      /^must be an image reference: "\$\(id\)" is not a valid image reference \(bad name component "\$\(id\)"\); expected/,
    );
    expect(imageReferenceProblem('busybox:1.36')).toBeUndefined();
  });
});
