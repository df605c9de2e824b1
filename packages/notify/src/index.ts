export { postJson, WebhookError, type PostOptions } from './webhook';
export { slackMessage, genericEvent, headline, type RollbackNotice } from './messages';
