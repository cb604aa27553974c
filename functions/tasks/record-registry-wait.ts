import { recordWait, registryWaitInput } from '../../shared/domains/attach/record-registry-wait.js';
import { taskHandler } from '../../shared/platform/lambda/task-handler.js';

// Invoked by the callback states AwaitRegistration / AwaitTransfer with $$.Task.Token.
export const handler = taskHandler('RecordRegistryWait', registryWaitInput, (input) => recordWait(input));
