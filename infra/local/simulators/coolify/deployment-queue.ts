import type { CoolifyFinishedApp, CoolifySimulatorOptions, SimApplication, SimDeployment } from './model.js';
import { type CoolifyStore, newUuid } from './store.js';

// Deployments move queued → in_progress (after 20% of the duration) → finished by elapsed time, so
// tests can watch them progress. A finished one marks its app running and is reported exactly once.

export interface DeploymentQueue {
  /** Moves deployments along by elapsed time; call before anything reads them. */
  advance(): void;
  queue(app: SimApplication, force: boolean): SimDeployment;
}

export function isActive(d: SimDeployment): boolean {
  return d.status === 'queued' || d.status === 'in_progress';
}

/** The application as listeners see it: name, domains and its (non-preview) env vars. */
export function appSnapshot(app: SimApplication): CoolifyFinishedApp {
  const envs: Record<string, string> = {};
  for (const e of app.envs) if (!e.is_preview) envs[e.key] = e.value ?? '';
  return { uuid: app.uuid, name: app.name, fqdn: app.fqdn, envs };
}

/** A failing listener is logged, not thrown: it must not break the Coolify request that noticed. */
export function notifyListener(
  name: string,
  listener: ((app: CoolifyFinishedApp) => void) | undefined,
  app: SimApplication,
): void {
  if (!listener) return;
  try {
    const result: unknown = listener(appSnapshot(app));
    if (result instanceof Promise) result.catch((err) => console.error(`coolify sim: ${name}`, err));
  } catch (err) {
    console.error(`coolify sim: ${name}`, err);
  }
}

export function createDeploymentQueue(
  store: CoolifyStore,
  opts: Pick<CoolifySimulatorOptions, 'deployDurationMs' | 'onDeploymentFinished'>,
): DeploymentQueue {
  const duration = Math.max(0, opts.deployDurationMs ?? 0);
  const { state } = store;

  function advance(): void {
    const t = Date.now();
    let changed = false;
    for (const d of state.deployments) {
      if (isActive(d)) {
        const elapsed = t - d.queued_at_ms;
        const next = elapsed >= duration ? 'finished' : elapsed >= duration * 0.2 ? 'in_progress' : 'queued';
        if (next !== d.status) {
          d.status = next;
          d.updated_at = store.now();
          changed = true;
        }
      }
      if (d.status === 'finished' && !d.notified) {
        d.notified = true;
        changed = true;
        const app = store.findApp(d.application_uuid);
        if (!app) continue;
        app.status = 'running:healthy';
        app.updated_at = store.now();
        notify(app);
      }
    }
    if (changed) store.save();
  }

  function notify(app: SimApplication): void {
    notifyListener('onDeploymentFinished', opts.onDeploymentFinished, app);
  }

  // Finishes deployments nobody polls (the callback still fires); unref'd so it never holds a process open.
  function scheduleAdvance(): void {
    setTimeout(advance, duration + 1).unref();
  }
  if (state.deployments.some(isActive)) scheduleAdvance();

  function queue(app: SimApplication, force: boolean): SimDeployment {
    const d: SimDeployment = {
      id: store.nextId(),
      deployment_uuid: newUuid(),
      application_id: app.id,
      application_uuid: app.uuid,
      status: 'queued',
      force_rebuild: force,
      queued_at_ms: Date.now(),
      notified: false,
      created_at: store.now(),
      updated_at: store.now(),
    };
    state.deployments.push(d);
    scheduleAdvance();
    return d;
  }

  return { advance, queue };
}
