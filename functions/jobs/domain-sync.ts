import { syncDomains } from '../../shared/domains/domain-sync.js';
import { backgroundHandler } from '../../shared/platform/lambda/background-handler.js';

// EventBridge Scheduler target (every few minutes); locally POST /local/jobs/domain-sync.

export const handler = backgroundHandler('domain-sync', () => syncDomains());
