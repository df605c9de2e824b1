import type { KubeObject } from '@upgrade-actions/kube';
import { MANAGED_BY, MANAGED_BY_LABEL } from './annotations';

export interface Service extends KubeObject {
  spec?: {
    selector?: Record<string, string>;
    ports?: {
      name?: string;
      port: number;
      targetPort?: number | string;
      protocol?: string;
      appProtocol?: string;
    }[];
    type?: string;
    [key: string]: unknown;
  };
}

/**
 * `<service>-canary`: the stable Service's ports, selecting only the canary's pods (the stable selector plus
 * the labels only canary pods carry), so analysis can address the canary alone through the service proxy.
 * A ClusterIP Service whatever the stable one's type: it is for in-cluster checks, not for exposure.
 */
export function canaryService(stable: Service, name: string, canaryLabels: Record<string, string>): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: stable.metadata?.namespace,
      labels: { ...(stable.metadata?.labels ?? {}), [MANAGED_BY_LABEL]: MANAGED_BY },
    },
    spec: {
      type: 'ClusterIP',
      selector: { ...(stable.spec?.selector ?? {}), ...canaryLabels },
      ports: (stable.spec?.ports ?? []).map((p) => {
        const port: NonNullable<NonNullable<Service['spec']>['ports']>[number] = { port: p.port };
        if (p.name) port.name = p.name;
        if (p.targetPort !== undefined) port.targetPort = p.targetPort;
        if (p.protocol) port.protocol = p.protocol;
        if (p.appProtocol) port.appProtocol = p.appProtocol;
        return port;
      }),
    },
  };
}
