export { promote, readTarget, type PromoteOptions, type PromoteResult } from './engine';
export {
  decide,
  recordRound,
  enterStage,
  describeTrip,
  outcomeOfTrip,
  type Decision,
  type Timing,
} from './plan';
export {
  readState,
  newState,
  STATE_ANNOTATION,
  ACTIVE_ANNOTATION,
  BASE_SELECTOR_ANNOTATION,
  type PromoteState,
  type Phase,
  type Stage,
  type TimelineEvent,
} from './state';
export {
  COLOUR_LABEL,
  colourOf,
  nextWorkload,
  colourDeployment,
  selectorPatch,
  selects,
  type Colour,
} from './colours';
export { promoteSummary, timelineMermaid } from './report';
