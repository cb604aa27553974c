import { attachInput } from '../../shared/domains/attach/attach-input.js';
import { configureDomainDns } from '../../shared/domains/attach/configure-domain-dns.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

export const handler = taskHandler('ConfigureDomainDns', attachInput, (input) => configureDomainDns(input));
