import type * as z from 'zod';
import { parseDomainName } from '../domains/domain-name.js';
import { describeExecution, executionArnOf } from '../integrations/stepfunctions/workflows.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import {
  getProject,
  type LifecycleRequest,
  listDomains,
  type Project,
  type TakeoverTerms,
} from '../projects/projects-table.js';
import { ensureRunning, type FlowRun } from '../provisioning/flow-runs.js';
import { takeoverRefusal } from '../takeover/takeover-rules.js';
import {
  ACTION_NOUN,
  canBeKept,
  canRequest,
  countsAsRunning,
  FLOW_OF,
  type LifecycleAction,
  lifecycleExecutionName,
  meetOpenRequest,
  needsProvisioningStopped,
  parseLifecycleExecution,
  statusesAllowing,
} from './lifecycle-rules.js';
import { openLifecycleRequest, updateLifecycleRequest } from './lifecycle-table.js';
import type { lifecycleResponse } from './schemas.js';

// Staff ask for a lifecycle action (POST /v1/admin/projects/{id}/suspend | resume | archive): the
// request is recorded on the project with the next run number, in one conditional write, and its
// execution started under the name <projectId>-<flow>-<run>. Asking again for the action still open
// (a double click, or after a lost start or a failure) makes sure of that same execution — adopted
// while it runs, redriven once it failed — and never starts a second one.

export interface LifecycleInputBody {
  reason?: string | undefined;
  keepDomains?: string[] | undefined;
  /** Takeover: the new owner's terms (shared/takeover/). */
  takeover?: TakeoverTerms | undefined;
}

const ATTEMPTS = 3;

export async function requestLifecycleAction(
  caller: Caller,
  projectId: string,
  action: LifecycleAction,
  body: LifecycleInputBody,
): Promise<z.infer<typeof lifecycleResponse>> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const project = await getProject(projectId);
    if (!project) throw new NotFoundError(`Project ${projectId} not found.`);
    const open = project.lifecycleRequest;
    const openRuns =
      open && open.action !== action
        ? countsAsRunning(await describeExecution(open.executionArn), open.requestedAt, new Date())
        : false;
    const meeting = meetOpenRequest(open, action, openRuns);
    if (meeting === 'same' && open)
      return answer(project, open, await ensureLifecycleRunning(projectId, open));
    if (meeting === 'blocked' && open) {
      throw new ConflictError(
        `A ${ACTION_NOUN[open.action]} of this project is under way (${open.executionArn}); nothing was started. Send this once it has finished.`,
      );
    }
    await checkAllowed(project, action);
    const run = (project.lifecycleRuns ?? 0) + 1;
    const request: LifecycleRequest = {
      action,
      run,
      // Known before the start, so the execution's first task finds its request recorded.
      executionArn: executionArnOf(FLOW_OF[action], lifecycleExecutionName(projectId, action, run)),
      ...(body.reason ? { reason: body.reason } : {}),
      requestedBy: caller.email,
      requestedAt: new Date().toISOString(),
      ...(action === 'archive'
        ? { keepDomains: await domainsToKeep(projectId, body.keepDomains ?? []) }
        : {}),
      ...(body.takeover ? { takeover: body.takeover } : {}),
    };
    const opened = await openLifecycleRequest(projectId, {
      request,
      previousRuns: project.lifecycleRuns ?? 0,
      ...(open ? { replacing: open.executionArn } : {}),
      from: statusesAllowing(action),
      log: {
        action: `${action}_requested`,
        message: `Staff asked for a ${ACTION_NOUN[action]}${body.reason ? `: ${body.reason}` : ''}${
          open
            ? ` (replacing the ${ACTION_NOUN[open.action]} in ${open.executionArn}, which had stopped)`
            : ''
        }`,
        oldStatus: project.status,
        triggeredBy: caller.email,
        externalService: 'stepfunctions',
        externalId: request.executionArn,
      },
    });
    // Another request (a concurrent click) or a status change came first: judge again on what is there now.
    if (!opened) continue;
    return answer(project, request, await ensureLifecycleRunning(projectId, request));
  }
  throw new ConflictError('The project kept changing while the request was recorded; nothing was started.');
}

async function checkAllowed(project: Project, action: LifecycleAction): Promise<void> {
  const notADemo = action === 'takeover' ? takeoverRefusal(project) : null;
  if (notADemo) throw new ConflictError(notADemo);
  if (!canRequest(action, project.status)) {
    throw new ConflictError(
      `A project in status "${project.status}" cannot get a ${ACTION_NOUN[action]} (allowed from: ${statusesAllowing(action).join(', ')}).`,
    );
  }
  if (needsProvisioningStopped(action, project.status) && project.executionArn) {
    const provisioning = await describeExecution(project.executionArn);
    if (provisioning?.status === 'RUNNING' || provisioning?.status === 'PENDING_REDRIVE') {
      throw new ConflictError(
        `The project is being provisioned (${project.executionArn}); archive it once that execution has ended.`,
      );
    }
  }
}

/** keepDomains as the project's custom domains (punycode); anything else is named in a 400. */
async function domainsToKeep(projectId: string, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const domains = await listDomains(projectId);
  const kept: string[] = [];
  const errors: { path: string; message: string }[] = [];
  names.forEach((name, i) => {
    const parsed = parseDomainName(name);
    const d = 'name' in parsed ? domains.find((x) => x.domain === parsed.name.ascii) : undefined;
    if (!d || !canBeKept(d))
      errors.push({ path: `keepDomains.${i}`, message: 'is not a custom domain of this project' });
    else if (!kept.includes(d.domain)) kept.push(d.domain);
  });
  if (errors.length)
    throw new ValidationError('keepDomains names domains this project does not have.', errors);
  return kept;
}

/**
 * Makes sure the request's execution works on it: started, adopted while it runs, or redriven once
 * it failed. Should its name be past redrive (a failure older than the redrive window), the next
 * run starts and the request is pointed at it.
 */
async function ensureLifecycleRunning(projectId: string, request: LifecycleRequest): Promise<FlowRun> {
  const run = await ensureRunning(
    FLOW_OF[request.action],
    (n) => lifecycleExecutionName(projectId, request.action, n),
    { projectId },
    request.run,
  );
  if (run.executionArn !== request.executionArn) {
    const n = parseLifecycleExecution(run.executionArn, projectId)?.run ?? request.run;
    await updateLifecycleRequest(
      projectId,
      request.executionArn,
      { executionArn: run.executionArn, run: n },
      { runs: n },
    );
  }
  return run;
}

function answer(project: Project, request: LifecycleRequest, run: FlowRun) {
  return {
    projectId: project.id,
    action: request.action,
    status: project.status,
    executionArn: run.executionArn,
  };
}
