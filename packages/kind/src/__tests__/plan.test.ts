import { ConfigurationError } from '@upgrade-actions/common';
import {
  ARCHES,
  contextName,
  defaultClusterName,
  downloadUrl,
  generateConfig,
  KIND_RELEASES,
  KUBECTL_RELEASES,
  DEFAULT_KIND_VERSION,
  DEFAULT_KUBECTL_VERSION,
  parseFeatureGate,
  parsePortMapping,
  renderConfig,
  resolveDownload,
  resolveNodeImage,
  sanitizeClusterName,
  validateClusterName,
  adoptConfig,
  nodeCount,
} from '@upgrade-actions/kind';

describe('the pinned tables', () => {
  test.each(KIND_RELEASES.map((r) => [r.version, r] as const))(
    'kind %s lists its default image among its node images, each pinned by digest',
    (_v, r) => {
      expect(r.nodeImages.map((n) => n.kubernetes)).toContain(r.defaultKubernetes);
      for (const n of r.nodeImages)
        expect(n.image).toMatch(
          new RegExp(`^kindest/node:${n.kubernetes.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}$`),
        );
    },
  );

  test('every checksum in the tables is 64 lowercase hex characters or null with a note', () => {
    for (const r of [...KIND_RELEASES, ...KUBECTL_RELEASES])
      for (const a of ARCHES) {
        const p = r.binaries[a];
        if (p.sha256 === null) expect(p.note).toBeTruthy();
        else expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
  });

  test('the default kind and kubectl versions are pinned for both amd64 and arm64', () => {
    for (const a of ARCHES) {
      expect(() =>
        resolveDownload({ tool: 'kind', version: DEFAULT_KIND_VERSION, arch: a, baseUrl: 'https://x' }),
      ).not.toThrow();
      expect(() =>
        resolveDownload({ tool: 'kubectl', version: DEFAULT_KUBECTL_VERSION, arch: a, baseUrl: 'https://x' }),
      ).not.toThrow();
    }
  });
});

describe('downloads', () => {
  test.each([
    [
      'kind',
      'v0.32.0',
      'amd64',
      'https://github.com/kubernetes-sigs/kind/releases/download',
      'https://github.com/kubernetes-sigs/kind/releases/download/v0.32.0/kind-linux-amd64',
    ],
    [
      'kind',
      'v0.31.0',
      'arm64',
      'http://127.0.0.1:8080/dl/',
      'http://127.0.0.1:8080/dl/v0.31.0/kind-linux-arm64',
    ],
    [
      'kubectl',
      'v1.35.5',
      'arm64',
      'https://dl.k8s.io/release',
      'https://dl.k8s.io/release/v1.35.5/bin/linux/arm64/kubectl',
    ],
  ] as const)('%s %s %s from %s is downloaded from %s', (tool, version, arch, base, url) => {
    expect(downloadUrl(tool, version, arch, base)).toBe(url);
  });

  test('a pinned version resolves to its pinned checksum, with or without the v prefix', () => {
    const d = resolveDownload({ tool: 'kind', version: '0.32.0', arch: 'arm64', baseUrl: 'https://x' });
    expect(d).toEqual({
      tool: 'kind',
      version: 'v0.32.0',
      arch: 'arm64',
      url: 'https://x/v0.32.0/kind-linux-arm64',
      sha256: 'b92cd615e97585de8ddade28ed5cd7feb4248d717c233eea5b03c37298900f5d',
    });
  });

  test('a version/arch without a pinned checksum fails clearly, naming the input that would vouch for one', () => {
    expect(() =>
      resolveDownload({ tool: 'kubectl', version: 'v1.36.1', arch: 'arm64', baseUrl: 'https://x' }),
    ).toThrow(
      /^no pinned checksum for kubectl v1\.36\.1 linux\/arm64 \(.*\); pass 'kubectl-sha256' or choose 'kubectl-version' among v1\.35\.5, v1\.35\.0$/,
    );
  });

  test('a version missing from the table fails with a configuration error listing the pinned ones', () => {
    const call = () =>
      resolveDownload({ tool: 'kind', version: 'v0.29.0', arch: 'amd64', baseUrl: 'https://x' });
    expect(call).toThrow(ConfigurationError);
    expect(call).toThrow(
      "no pinned checksum for kind v0.29.0: it is not in this action's table (pinned for linux/amd64: v0.32.0, v0.31.0); pass 'kind-sha256' with the checksum from its release page, or choose one of those in 'kind-version'",
    );
  });

  test('a checksum given by the user is used for any version, lower-cased', () => {
    const sha = 'AB'.repeat(32);
    expect(
      resolveDownload({ tool: 'kind', version: 'v0.29.0', arch: 'amd64', baseUrl: 'https://x', sha256: sha })
        .sha256,
    ).toBe('ab'.repeat(32));
  });

  test('a version that is not a release fails naming the input', () => {
    expect(() =>
      resolveDownload({ tool: 'kind', version: 'latest', arch: 'amd64', baseUrl: 'https://x' }),
    ).toThrow(`Input 'kind-version' must be a release such as v1.2.3, got "latest"`);
  });
});

describe('node images', () => {
  test.each([
    ['', 'v0.32.0', 'v1.36.1'],
    ['1.35', 'v0.32.0', 'v1.35.5'],
    ['v1.34', 'v0.32.0', 'v1.34.8'],
    ['1.33.12', 'v0.32.0', 'v1.33.12'],
    ['1.31', 'v0.31.0', 'v1.31.14'],
    ['', 'v0.31.0', 'v1.35.0'],
  ])('kubernetes-version %j with kind %s gives the %s image with its digest', (wanted, kind, k8s) => {
    const r = resolveNodeImage({ kindVersion: kind, kubernetesVersion: wanted, nodeImage: '' });
    expect(r.kubernetesVersion).toBe(k8s);
    expect(r.image).toMatch(new RegExp(`^kindest/node:${k8s.replace(/\./g, '\\.')}@sha256:[0-9a-f]{64}$`));
  });

  test('node-image overrides the table, and its tag tells the version', () => {
    expect(
      resolveNodeImage({
        kindVersion: 'v0.32.0',
        kubernetesVersion: '1.33',
        nodeImage: 'example.com/node:v1.30.2@sha256:' + 'a'.repeat(64),
      }),
    ).toEqual({
      image: 'example.com/node:v1.30.2@sha256:' + 'a'.repeat(64),
      kubernetesVersion: 'v1.30.2',
    });
  });

  test('a minor without an image for the kind release fails listing the available ones', () => {
    expect(() =>
      resolveNodeImage({ kindVersion: 'v0.32.0', kubernetesVersion: '1.31', nodeImage: '' }),
    ).toThrow(
      "Input 'kubernetes-version' 1.31 has no kindest/node image built for kind v0.32.0 (available: 1.36.1, 1.35.5, 1.34.8, 1.33.12); choose one of them, another 'kind-version', or pass 'node-image'",
    );
  });

  test.each(['1', 'one.two', '1.31.x', 'v1.31.0-rc.1'])(
    'kubernetes-version %j is refused as malformed',
    (v) => {
      expect(() => resolveNodeImage({ kindVersion: 'v0.32.0', kubernetesVersion: v, nodeImage: '' })).toThrow(
        /^Input 'kubernetes-version' must be a version such as 1\.31 or 1\.31\.14/,
      );
    },
  );

  test('a kind release without a table leaves the image to kind, unless a version was asked for', () => {
    expect(resolveNodeImage({ kindVersion: 'v0.29.0', kubernetesVersion: '', nodeImage: '' })).toEqual({
      kubernetesVersion: '',
    });
    expect(() =>
      resolveNodeImage({ kindVersion: 'v0.29.0', kubernetesVersion: '1.33', nodeImage: '' }),
    ).toThrow(/pass 'node-image'/);
  });
});

describe('cluster names', () => {
  test('the default name is unique per run and attempt, and per job, step and runner', () => {
    const base = {
      runId: '123456789',
      runAttempt: '2',
      job: 'e2e',
      action: 'kind',
      runner: 'GitHub Actions 7',
    };
    const name = defaultClusterName(base);
    expect(name).toMatch(/^upgrade-123456789-2-[0-9a-f]{6}$/);
    expect(defaultClusterName(base)).toBe(name);
    expect(defaultClusterName({ ...base, runAttempt: '3' })).not.toBe(name);
    expect(defaultClusterName({ ...base, runner: 'GitHub Actions 8' })).not.toBe(name);
    expect(defaultClusterName({ ...base, job: 'other' })).not.toBe(name);
    expect(defaultClusterName({ ...base, action: '__run_2' })).not.toBe(name);
  });

  test.each([
    ['Upgrade_Test', 'upgrade-test'],
    ['--a..b--', 'a..b'],
    ['x'.repeat(60), 'x'.repeat(50)],
    ['!!!', 'upgrade'],
  ])('sanitizing %j gives %j', (raw, want) => {
    expect(sanitizeClusterName(raw)).toBe(want);
  });

  test.each(['ok', 'a.b-c', '0'.repeat(50)])('%j is a valid name', (n) => {
    expect(validateClusterName(n)).toBe(n);
  });

  test.each(['Upper', 'has space', 'under_score', 'x'.repeat(51), ''])(
    '%j is refused with kind’s rule in the message',
    (n) => {
      expect(() => validateClusterName(n)).toThrow(
        /^Input 'cluster-name' must be at most 50 characters of a-z, 0-9, '\.' and '-' \(kind's rule\)/,
      );
    },
  );

  test('the context is kind-<name>, as kind writes it', () => {
    expect(contextName('demo')).toBe('kind-demo');
  });
});

describe('config', () => {
  test.each([
    ['8080:80', { hostPort: 8080, containerPort: 80, protocol: 'TCP' }],
    [
      '127.0.0.1:8443:443/tcp',
      { hostPort: 8443, containerPort: 443, protocol: 'TCP', listenAddress: '127.0.0.1' },
    ],
    ['[::1]:5353:53/udp', { hostPort: 5353, containerPort: 53, protocol: 'UDP', listenAddress: '::1' }],
    ['30000:30000/SCTP', { hostPort: 30000, containerPort: 30000, protocol: 'SCTP' }],
  ])('port mapping %j parses to %j', (text, want) => {
    expect(parsePortMapping(text)).toEqual(want);
  });

  test.each(['80', '0:80', '8080:70000', 'a:b', '8080:80/icmp'])(
    'port mapping %j is refused naming the syntax',
    (text) => {
      expect(() => parsePortMapping(text)).toThrow(
        /^Input 'port-mappings' entries must be \[listenAddress:\]hostPort:containerPort\[\/tcp\|udp\|sctp\]/,
      );
    },
  );

  test.each([
    ['InPlacePodVerticalScaling=true', ['InPlacePodVerticalScaling', true]],
    ['Foo=false', ['Foo', false]],
  ])('feature gate %j parses', (text, want) => {
    expect(parseFeatureGate(text)).toEqual(want);
  });

  test.each(['foo=true', 'Foo', 'Foo=yes'])('feature gate %j is refused', (text) => {
    expect(() => parseFeatureGate(text)).toThrow(
      /^Input 'feature-gates' entries must be Name=true or Name=false/,
    );
  });

  test('the generated config has one control plane carrying the port mappings, the workers, gates and registry patch', () => {
    const cfg = generateConfig({
      workers: 2,
      portMappings: [parsePortMapping('8080:80')],
      featureGates: [['InPlacePodVerticalScaling', true]],
      registry: true,
    });
    expect(nodeCount(cfg)).toBe(3);
    expect(renderConfig(cfg)).toBe(
      [
        'kind: Cluster',
        'apiVersion: kind.x-k8s.io/v1alpha4',
        'featureGates:',
        '  InPlacePodVerticalScaling: true',
        'containerdConfigPatches:',
        '  - |-',
        '    [plugins."io.containerd.grpc.v1.cri".registry]',
        '      config_path = "/etc/containerd/certs.d"',
        'nodes:',
        '  - role: control-plane',
        '    extraPortMappings:',
        '      - containerPort: 80',
        '        hostPort: 8080',
        '        protocol: TCP',
        '  - role: worker',
        '  - role: worker',
        '',
      ].join('\n'),
    );
  });

  test('a user config keeps its content, gains the registry patch, and reports nodes that pin images', () => {
    const text =
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\ncontainerdConfigPatches: ["x"]\nnodes:\n  - role: control-plane\n    image: my/node:v1\n';
    const { config, nodeImages } = adoptConfig(text, 'kind.yaml', true);
    expect(nodeImages).toBe(true);
    expect((config.containerdConfigPatches as string[]).length).toBe(2);
    expect(nodeCount(config)).toBe(1);
  });

  test.each(['kind: Pod\napiVersion: v1\n', 'a: [', '- 1\n'])(
    'a config file that is not a kind Cluster (%j) is refused',
    (text) => {
      expect(() => adoptConfig(text, 'kind.yaml', false)).toThrow(
        /^Input 'config' file kind\.yaml (must be a kind config|is not valid YAML)/,
      );
    },
  );
});
