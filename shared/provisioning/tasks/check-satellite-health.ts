import { callTimeoutMs } from '../../platform/deadline.js';
import { ExternalServiceError } from '../../platform/errors.js';
import { appendLog, getPrimaryDomain, getProject } from '../../projects/projects-table.js';
import { HEALTH_POLL, isExhausted, nextWaitSeconds, pollWithin } from '../poll-schedule.js';
import { requireInProgress } from './guards.js';
import { pollWindow } from './polling-config.js';
import { provisioningConfig } from './provisioning-config.js';
import { currentAttempt, type PollInput, type PollOutput } from './task-input.js';

// Task CheckSatelliteHealth: the satellite answers 2xx on its health endpoint once it has fetched
// its config and plugins. Not yet healthy → wait (growing) and ask again, within a hard bound.

export async function checkSatelliteHealth(input: PollInput): Promise<PollOutput> {
  const { projectId } = input;
  const project = requireInProgress(await getProject(projectId), projectId);
  const attempt = currentAttempt(input, 'health');
  const redriveCount = input.redriveCount ?? 0;
  if (project.status === 'active')
    return { projectId, poll: { phase: 'health', attempt, redriveCount, done: true, waitSeconds: 0 } };

  const domain = await getPrimaryDomain(projectId);
  const url = provisioningConfig().HEALTH_CHECK_URL_TEMPLATE.replace('{domain}', domain?.domain ?? '');
  const outcome = await pollWithin(
    () => probe(url),
    (o) => o === 'healthy',
    pollWindow(),
  );
  if (outcome === 'healthy') {
    await appendLog({
      projectId,
      action: 'health_check_passed',
      message: `${url} answered healthy after ${attempt} checks`,
      externalService: 'satellite',
    });
    return { projectId, poll: { phase: 'health', attempt, redriveCount, done: true, waitSeconds: 0 } };
  }
  if (isExhausted(HEALTH_POLL, attempt)) {
    await appendLog({
      projectId,
      action: 'health_check_failed',
      message: `${url}: ${outcome} after ${attempt} checks`,
      externalService: 'satellite',
    });
    throw new ExternalServiceError(
      'satellite',
      `not healthy after ${attempt} checks (${outcome}); check the application logs in Coolify, then redrive`,
      false,
    );
  }
  return {
    projectId,
    poll: {
      phase: 'health',
      attempt,
      redriveCount,
      done: false,
      waitSeconds: nextWaitSeconds(HEALTH_POLL, attempt),
    },
  };
}

async function probe(url: string): Promise<string> {
  const timeoutMs = callTimeoutMs(provisioningConfig().HEALTH_CHECK_TIMEOUT_MS);
  try {
    const res = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      // A redirect (e.g. to a login or parking page) says nothing about the satellite: not healthy.
      redirect: 'manual',
    });
    await res.body?.cancel();
    if (res.ok) return 'healthy';
    const location = res.headers.get('location');
    return location ? `HTTP ${res.status} redirect to ${location}` : `HTTP ${res.status}`;
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
  }
}
