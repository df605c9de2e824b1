import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadKubeconfig } from '@upgrade-actions/kind';

const b64 = (s: string) => Buffer.from(s).toString('base64');

test('a kubeconfig as kind writes it (client certificate, CA, https) resolves for the context kind-<name>', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kind-kc-'));
  try {
    const file = path.join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'current-context: kind-other',
        'clusters:',
        '- name: kind-demo',
        '  cluster:',
        `    certificate-authority-data: ${b64('CA PEM')}`,
        '    server: https://127.0.0.1:40123',
        '- name: kind-other',
        '  cluster: {server: https://127.0.0.1:1}',
        'contexts:',
        '- name: kind-demo',
        '  context: {cluster: kind-demo, user: kind-demo}',
        '- name: kind-other',
        '  context: {cluster: kind-other, user: kind-demo}',
        'users:',
        '- name: kind-demo',
        '  user:',
        `    client-certificate-data: ${b64('CERT PEM')}`,
        `    client-key-data: ${b64('KEY PEM')}`,
        '',
      ].join('\n'),
    );
    expect(await loadKubeconfig(file, 'kind-demo')).toEqual({
      server: 'https://127.0.0.1:40123',
      ca: 'CA PEM',
      cert: 'CERT PEM',
      key: 'KEY PEM',
      token: undefined,
      insecure: false,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
