export {
  rollback,
  type RollbackOptions,
  type RollbackResult,
  type WorkloadOutcome,
  type OutcomeAction,
} from './engine';
export { decide, type Decision, type DecisionInput } from './decide';
export {
  templateFingerprint,
  readMark,
  markAnnotations,
  FAILED_REVISION,
  FAILED_REASON,
  FAILED_AT,
  FAILED_TEMPLATE,
  ROLLED_BACK_TO,
  type FailedMark,
} from './marks';
export {
  LeaseLock,
  LeaseTimeoutError,
  leaseState,
  leaseExpiry,
  leaseName,
  microTime,
  type Lease,
  type LeaseState,
  type LeaseLockOptions,
} from './lease';
export { currentRevision } from './revision';
export { parseWorkloads, releaseTargets, type RollbackTarget } from './targets';
export { verifyRolledBack, type Verification } from './verify';
export { runIdentity } from './identity';
export { rolledBackJson, rollbackSummaryRows } from './report';
