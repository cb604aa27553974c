import { routeList } from '../../../../functions/routes.js';
import { eventFunctions, jobFunctions, taskFunctions } from '../../../../functions/tasks.js';
import {
  apiFunctionNeeds,
  eventFunctionNeeds,
  type FunctionKind,
  type FunctionNeeds,
  jobFunctionNeeds,
  taskFunctionNeeds,
} from '../../../function-needs.js';

// Every function of the stack with its kind (its timeout) and its needs (its environment), by
// entry below functions/ — the same table CDK deploys from (infra/function-needs.ts).

export interface LocalFunction {
  /** Below functions/, without extension, e.g. `api/get-project`. */
  entry: string;
  kind: FunctionKind;
  needs: FunctionNeeds;
  /** Its function name; default vrs-local-<entry>. Another name is another function (own instances). */
  name?: string;
}

export function localFunctions(): Map<string, LocalFunction> {
  const all = new Map<string, LocalFunction>();
  const add = (entry: string, kind: FunctionKind, needs: FunctionNeeds) =>
    all.set(entry, { entry, kind, needs });
  for (const [, route] of routeList)
    add(`api/${route.handler}`, 'api', apiFunctionNeeds[route.handler as keyof typeof apiFunctionNeeds]);
  for (const [name, entry] of Object.entries(taskFunctions))
    add(entry, 'task', taskFunctionNeeds[name as keyof typeof taskFunctionNeeds]);
  for (const [name, entry] of Object.entries(eventFunctions))
    add(entry, 'event', eventFunctionNeeds[name as keyof typeof eventFunctionNeeds]);
  for (const [name, job] of Object.entries(jobFunctions))
    add(job.entry, 'job', jobFunctionNeeds[name as keyof typeof jobFunctionNeeds]);
  return all;
}

/** The function's name as the local runtime reports it (Lambda context, logs). */
export const localFunctionName = (entry: string) => `vrs-local-${entry.replaceAll('/', '-')}`;
