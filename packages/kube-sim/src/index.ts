export * from './types';
export { Store, groupResource, notFound, randomSuffix, type ListOptions, type Listener } from './store';
export { BUILTIN_RESOURCES, builtin, R } from './resources';
export { startKubeSim, type KubeSim, type KubeSimOptions } from './sim';
export { ResourceRegistry, isCustom, type CustomResourceType } from './registry';
export { Faults, type FaultRule, type FaultTarget, type Verb } from './faults';
export { Backends, BACKEND_ANNOTATION } from './backends';
export { PodLogs, type LogLine } from './pod-logs';
export { kubeconfigYaml } from './kubeconfig';
export {
  parseLabelSelector,
  parseFieldSelector,
  labelSelectorPredicate,
  formatLabelSelector,
} from './selectors';
export { applyStrategicMergePatch } from './patch/strategic-merge';
export { applyJsonPatch, applyMergePatch } from './patch/json-patch';
export { serverSideApply, trackUpdate } from './patch/apply';
export type { RequestRecord } from './api-server';
export { ScaledClock, ManualClock, type Clock } from './clock';
export {
  startControllers,
  Scenario,
  type ControllerOptions,
  type Controllers,
  type PodBehaviour,
  type PodLogSink,
} from './controllers';
export { validateBehaviour } from './scenario';
