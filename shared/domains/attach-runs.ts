import { createHash } from 'node:crypto';
import { awaitsAttach } from '../projects/domain-status.js';
import { listDomains, type ProjectDomain } from '../projects/projects-table.js';
import { ensureRunning, type FlowRun } from '../provisioning/flow-runs.js';

// Attach-domain executions: one per custom domain and attempt, under a deterministic name
// (<projectId>-attach-<hash of the domain>-<attempt>), so a repeated trigger adopts the running
// one, redrives a failed one, and never starts a second.

export function attachExecutionName(projectId: string, domain: string, attempt: number): string {
  const tag = createHash('sha256').update(domain).digest('hex').slice(0, 10);
  return `${projectId}-attach-${tag}-${attempt}`;
}

export function ensureAttachRunning(d: ProjectDomain): Promise<FlowRun> {
  return ensureRunning(
    'attach-domain',
    (attempt) => attachExecutionName(d.projectId, d.domain, attempt),
    { projectId: d.projectId, domain: d.domain },
    d.attachAttempt ?? 1,
  );
}

/** Once the project is live on its technical subdomain: attach every custom domain still pending. */
export async function attachPendingDomains(projectId: string): Promise<FlowRun[]> {
  const pending = (await listDomains(projectId)).filter(awaitsAttach);
  const runs: FlowRun[] = [];
  for (const d of pending) runs.push(await ensureAttachRunning(d));
  return runs;
}
