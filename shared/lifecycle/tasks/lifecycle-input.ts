import * as z from 'zod';
import { ConflictError, NotFoundError, TransientError } from '../../platform/errors.js';
import { getProject, type LifecycleRequest, type Project } from '../../projects/projects-table.js';
import { ACTION_NOUN, parseLifecycleExecution } from '../lifecycle-rules.js';

// What the lifecycle flows pass to their tasks: the project and the execution itself
// ($$.Execution.Id). What to do (action, reason, domains to keep) is the project's open lifecycle
// request; a task acts only while that request is its own execution's.

export const lifecycleInput = z.object({
  projectId: z.uuid(),
  executionArn: z.string().startsWith('arn:'),
});
export type LifecycleInput = z.infer<typeof lifecycleInput>;

export type RequestLookup =
  | { state: 'current'; project: Project; request: LifecycleRequest }
  /** The request was carried out and closed (the last task ran already): nothing left to do. */
  | { state: 'finished'; project: Project };

/**
 * The project and the request this execution carries out. An execution whose request was replaced
 * (a later request, e.g. a resume after this failed suspension) changes nothing: it fails, and
 * there is nothing to redrive. One started just before its request was re-pointed at it waits.
 */
export async function lifecycleRequestOf({
  projectId,
  executionArn,
}: LifecycleInput): Promise<RequestLookup> {
  const project = await getProject(projectId);
  if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
  const request = project.lifecycleRequest;
  if (request?.executionArn === executionArn) return { state: 'current', project, request };
  if (project.lastLifecycle?.executionArn === executionArn) return { state: 'finished', project };
  const mine = parseLifecycleExecution(executionArn, projectId);
  if (mine && mine.run > (project.lifecycleRuns ?? 0)) {
    throw new TransientError('LifecycleRequestPending', `the request of ${executionArn} is not recorded yet`);
  }
  const now = request
    ? `the ${ACTION_NOUN[request.action]} in ${request.executionArn} replaced it`
    : 'no lifecycle request is open';
  throw new ConflictError(
    `This execution is no longer the project's lifecycle request (${now}); it changes nothing. Do not redrive it.`,
  );
}
