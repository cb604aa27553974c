import { type FieldError, ForbiddenError, ValidationError } from '../platform/errors.js';
import { getProject, listLicenses } from './projects-table.js';
import { type CreateProjectRequest, paysByCard } from './schemas.js';

// What only staff may ask of an order, and its rules. Demo projects (contract: `"isDemo": true`
// only from staff): a project to show a prospect, free and behind preview protection, optionally
// cloned from another project, which a customer takes over later (shared/takeover/). Drafts
// (`"startProvisioning": false`): stored, and started by hand later (provisioning/start-by-hand.ts).

/** Only staff order demos and drafts; a demo is free until taken over; only a demo is cloned; a card order is no draft. */
export function checkStaffOrderOptions(req: CreateProjectRequest, staff: boolean): void {
  const forbidden: FieldError[] = [];
  if (req.isDemo && !staff) forbidden.push({ path: 'isDemo', message: 'only staff and admins may set it' });
  if (req.clonedFromProjectId && !staff)
    forbidden.push({ path: 'clonedFromProjectId', message: 'only staff and admins may set it' });
  if (req.startProvisioning === false && !staff)
    forbidden.push({ path: 'startProvisioning', message: 'only staff and admins may set it' });
  if (forbidden.length) throw new ForbiddenError('Only staff order demo projects.', forbidden);

  const invalid: FieldError[] = [];
  if (req.isDemo && req.paymentMethod !== 'free')
    invalid.push({
      path: 'paymentMethod',
      message: 'a demo project is free until a customer takes it over: use "free"',
    });
  if (req.startProvisioning === false && paysByCard(req.paymentMethod))
    invalid.push({
      path: 'startProvisioning',
      message: 'a card order starts once it is paid; only invoice and free orders wait as drafts',
    });
  if (req.clonedFromProjectId && !req.isDemo)
    invalid.push({ path: 'clonedFromProjectId', message: 'only a demo project (isDemo: true) is cloned' });
  if (invalid.length) throw new ValidationError('The demo order is not valid.', invalid);
}

/** The order's plugins plus those the source project holds (not cancelled), each once. */
export async function pluginsForClone(req: CreateProjectRequest): Promise<string[]> {
  const sourceId = req.clonedFromProjectId!;
  const source = await getProject(sourceId);
  if (!source || source.status === 'archived') {
    throw new ValidationError('The project to clone does not exist.', [
      { path: 'clonedFromProjectId', message: 'no such project (or it is archived)' },
    ]);
  }
  if (source.projectType !== req.projectType) {
    throw new ValidationError('A clone has the project type of its source.', [
      { path: 'projectType', message: `the source project is a "${source.projectType}"` },
    ]);
  }
  const held = (await listLicenses(sourceId)).filter((l) => l.status !== 'cancelled').map((l) => l.plugin);
  return [...new Set([...(req.plugins ?? []), ...held])];
}
