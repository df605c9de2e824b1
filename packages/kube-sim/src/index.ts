export * from './types';
export { Store, groupResource, notFound, randomSuffix, type ListOptions, type Listener } from './store';
export { BUILTIN_RESOURCES, builtin, R } from './resources';
