import { input } from '@upgrade-actions/toolkit';

/**
 * The analysis inputs canary and promote share, defined once so the two actions take them exactly alike
 * (promote spreads these into its own definition). Every target and query may use the template
 * variables {{ namespace }}, {{ target }} (the new version's workload), {{ stable }} and {{ interval }}.
 */
export const analysisInputs = {
  'analysis-urls': input.list({
    description:
      "Targets checked every analysis round, one per line: URLs, or name[.namespace]:port/path through the API server's service proxy (web-canary:80/healthz reaches the canary alone). Template variables allowed.",
    default: '',
  }),
  'analysis-checks': input.string({
    description:
      "YAML list of structured checks as health-probe's checks input ({url, ...} or {preset|query, failWhen}), plus comparison gates: {name, query, compare: {maxIncrease | maxDecrease | maxRatio | minRatio}} judged against the stable version.",
    default: '',
  }),
  'prometheus-url': input.string({
    description: 'Prometheus base URL for presets, queries and comparison gates.',
    default: '',
  }),
  'prometheus-presets': input.list({
    description:
      "The seed's rules by name, applied to the new version's pods: error-rate, error-rate-5m, latency-average, latency-p99, transaction-success-rate, pod-restarts.",
    default: '',
    separator: 'newline-or-comma',
  }),
  'prometheus-queries': input.string({
    description:
      'YAML list of {name, query, failWhen} or {name, query, compare: {...}}; template variables allowed.',
    default: '',
  }),
  'analysis-interval': input.duration({
    description: 'How often the analysis runs, e.g. 30s.',
    default: '30s',
    minMs: 1000,
  }),
  'failure-threshold': input.integer({
    description: 'Consecutive failed rounds of one check that abort.',
    default: '3',
    min: 1,
  }),
};

/** Who hears about an abort or a switch back, as rollback notifies (best effort: a failed webhook is a warning). */
export const notificationInputs = {
  'slack-webhook': input.string({
    description: 'Slack (or Mattermost, Rocket.Chat) incoming webhook URL to notify. Masked. Empty: none.',
    default: '',
    secret: true,
  }),
  webhook: input.string({
    description: 'Generic webhook URL that receives a JSON event. Masked. Empty: none.',
    default: '',
    secret: true,
  }),
  token: input.string({
    description:
      'GitHub token for the sticky pull request comment and deployment statuses. Masked. Empty: neither.',
    default: '',
    secret: true,
  }),
  comment: input.boolean({
    description: 'With a token, write the outcome as a sticky comment on the pull request of the event.',
    default: 'true',
  }),
};
