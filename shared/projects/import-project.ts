import { randomUUID } from 'node:crypto';
import { getProjectType, listBaseDomains } from '../catalog/catalog-table.js';
import { getAccountDomain } from '../domains/account-domains-table.js';
import type { CoolifyClient } from '../integrations/coolify/coolify-client.js';
import { isCoolifyStatus } from '../integrations/coolify/coolify-client.js';
import { coolify } from '../integrations/coolify/from-secret.js';
import { licenseExpiry } from '../licensing/license.js';
import {
  ConflictError,
  type FieldError,
  NotAvailableError,
  NotAvailableYetError,
  ValidationError,
} from '../platform/errors.js';
import type { Caller } from '../platform/http/auth.js';
import { logger } from '../platform/logger.js';
import { table } from '../platform/table/db.js';
import { provisioningConfig } from '../provisioning/tasks/provisioning-config.js';
import { ensureSatelliteEnvironment } from '../satellites/satellite-environment.js';
import {
  countImportedProjectItem,
  findServerByCoolifyUuid,
  serverProjectPutItem,
} from '../servers/servers-table.js';
import { priceLicenses } from './license-prices.js';
import { loadProjectParts, toStaffProjectView } from './project-views.js';
import {
  appendLog,
  findProjectIdByCoolifyApp,
  getProject,
  type License,
  listDomains,
  type Project,
  type ProjectDomain,
  placeOrder,
  projectKeys,
} from './projects-table.js';
import { type ImportProjectRequest, paysByCard } from './schemas.js';
import { slugCandidate, slugify } from './slug.js';

// Importing a project that is live already (seed 000 §3.3; contract: POST /v1/admin/projects/import):
// its records at INWX and its application on Coolify stay as they are and are only referenced. The
// one write outside our table is the satellite's new key in the application's env. The Coolify
// application's marker makes the import happen once: sent again, an import whose key could not be
// written is finished, a finished one is a conflict (a second key would lock out the live satellite).

const SLUG_ATTEMPTS = 5;

export async function importProject(caller: Caller, req: ImportProjectRequest) {
  if (paysByCard(req.paymentMethod)) {
    throw new NotAvailableYetError('Stripe payments are not available yet; import with invoice or free.', [
      { path: 'paymentMethod', message: 'only "invoice" and "free" are available yet' },
    ]);
  }
  const appUuid = req.coolify.applicationUuid;
  const earlier = await findProjectIdByCoolifyApp(appUuid);
  if (earlier) return finishEarlierImport(earlier, req);

  const { projectType, serverId, domains: resolved } = await resolveImport(req);
  const licensed = await priceLicenses(projectType, undefined, req.plugins);
  const client = await coolify();
  await requireLiveApplication(client, req.coolify);

  const now = new Date();
  const at = now.toISOString();
  const id = randomUUID();
  const project: Project = {
    id,
    name: req.name,
    slug: '',
    projectType,
    status: 'active',
    paymentMethod: req.paymentMethod,
    billingEmail: req.billingEmail,
    ownerEmail: req.ownerEmail,
    locale: req.locale ?? 'de',
    isDemo: false,
    previewProtection: false,
    provisioningCompletedAt: at,
    provisioningRetryCount: 0,
    serverId,
    coolifyProjectUuid: req.coolify.projectUuid,
    coolifyAppUuid: appUuid,
    createdAt: at,
    updatedAt: at,
  };
  const domains: ProjectDomain[] = resolved.map((d) => ({
    ...d,
    projectId: id,
    createdAt: at,
    updatedAt: at,
  }));
  const licenses: License[] = licensed.map((l) => ({
    projectId: id,
    plugin: l.plugin,
    status: 'active',
    billingCycle: l.cycle,
    priceCents: l.priceCents,
    purchasedAt: at,
    expiresAt: licenseExpiry(l.cycle, now)?.toISOString() ?? null,
  }));
  const extra = [
    {
      Put: {
        TableName: table(),
        Item: { ...projectKeys.coolifyAppMarker(appUuid), entity: 'CoolifyAppMarker', projectId: id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    countImportedProjectItem(serverId, at),
    serverProjectPutItem(serverId, id, at),
  ];
  const log = {
    action: 'project_imported',
    message: `Imported live project on Coolify application ${appUuid} with ${domains.map((d) => d.unicode ?? d.domain).join(', ')}; nothing created at INWX or Coolify`,
  };

  for (let attempt = 1; ; attempt++) {
    project.slug = slugCandidate(slugify(req.name), attempt);
    const outcome = await placeOrder(project, domains, licenses, caller.email, { log, extra });
    if (outcome === 'ok') break;
    if (outcome !== 'slug-taken') {
      if ('domainTaken' in outcome) {
        const i = domains.findIndex((d) => d.domain === outcome.domainTaken);
        throw new ConflictError(
          `The domain ${domains[i]?.unicode ?? outcome.domainTaken} belongs to another project.`,
          [{ path: `domains.${i}.domain`, message: 'already taken' }],
        );
      }
      // The application's marker: a concurrent import of the same application won.
      if (outcome.extraFailed === 0)
        return finishEarlierImport((await findProjectIdByCoolifyApp(appUuid))!, req);
      throw new ValidationError('The server was removed meanwhile.', [
        { path: 'coolify.serverUuid', message: 'no longer a server of ours' },
      ]);
    }
    if (attempt >= SLUG_ATTEMPTS)
      throw new ConflictError('Could not find a free project slug; please try again.');
  }
  await writeSatelliteKey(id, appUuid, client);
  return toStaffProjectView(await loadProjectParts(id));
}

type ResolvedDomain = Omit<ProjectDomain, 'projectId' | 'createdAt' | 'updatedAt'>;

/** Everything the import refers to must exist with us: every problem is named in one answer. */
async function resolveImport(req: ImportProjectRequest) {
  const errors: FieldError[] = [];
  const [projectType, server, baseDomains] = await Promise.all([
    getProjectType(req.projectType),
    findServerByCoolifyUuid(req.coolify.serverUuid),
    listBaseDomains(),
  ]);
  if (!projectType)
    errors.push({ path: 'projectType', message: `unknown project type "${req.projectType}"` });
  if (!server)
    errors.push({
      path: 'coolify.serverUuid',
      message: 'no server of ours has this Coolify uuid; add the server first',
    });

  const domains: ResolvedDomain[] = [];
  const notHeld: FieldError[] = [];
  await Promise.all(
    req.domains.map(async (d, i) => {
      const { ascii, unicode } = d.domain;
      const common = {
        domain: ascii,
        ...(unicode !== ascii ? { unicode } : {}),
        type: d.type,
        status: 'active' as const,
        isPrimary: d.isPrimary,
        inwxRecordIds: Object.fromEntries(Object.entries(d.inwxRecordIds).filter(([, v]) => v !== undefined)),
        ...(d.inwxDomainId !== undefined ? { inwxDomainId: d.inwxDomainId } : {}),
        failureReason: null,
      };
      if (d.type === 'subdomain') {
        const base = baseDomains.find((b) => ascii.endsWith(`.${b.domain}`));
        const label = base ? ascii.slice(0, -base.domain.length - 1) : '';
        if (!base || label.includes('.')) {
          errors.push({
            path: `domains.${i}.domain`,
            message: 'is not a subdomain of one of our base domains',
          });
          return;
        }
        domains[i] = { ...common, baseDomain: base.domain, subdomain: label, expiresAt: null };
        return;
      }
      // Registered, transferred and owned domains are in our INWX account (as domain-sync saw it).
      const held = await getAccountDomain(ascii);
      if (held?.status !== 'OK') {
        notHeld.push({ path: `domains.${i}.domain`, message: 'is not a domain in our INWX account' });
        return;
      }
      domains[i] = {
        ...common,
        ...(common.inwxDomainId === undefined && held.roId ? { inwxDomainId: held.roId } : {}),
        expiresAt: held.expiresAt ?? null,
      };
    }),
  );
  if (errors.length || !projectType || !server)
    throw new ValidationError('The import refers to things we do not know.', errors);
  if (notHeld.length) {
    throw new NotAvailableError(
      'Only domains in our INWX account can be imported as registered, transferred or owned (domain-sync updates our copy every few minutes).',
      notHeld,
    );
  }
  return { projectType: projectType.code, serverId: server.id, domains };
}

/** The application (and its project) must be live on Coolify: we take it over, we do not create it. */
async function requireLiveApplication(client: CoolifyClient, ids: ImportProjectRequest['coolify']) {
  const missing: FieldError[] = [];
  await Promise.all([
    client.getApplication(ids.applicationUuid).catch((err: unknown) => {
      if (!isCoolifyStatus(err, 404)) throw err;
      missing.push({ path: 'coolify.applicationUuid', message: 'Coolify has no application with this uuid' });
    }),
    client.getProject(ids.projectUuid).catch((err: unknown) => {
      if (!isCoolifyStatus(err, 404)) throw err;
      missing.push({ path: 'coolify.projectUuid', message: 'Coolify has no project with this uuid' });
    }),
  ]);
  if (missing.length)
    throw new NotAvailableError('The project is not live on Coolify as described.', missing);
}

/**
 * The same application imported before: a project whose key never reached Coolify gets it now (the
 * import answered 503 then); a finished import, or a different one, is a conflict.
 */
async function finishEarlierImport(projectId: string, req: ImportProjectRequest) {
  const [project, domains] = await Promise.all([getProject(projectId), listDomains(projectId)]);
  const sameImport =
    project?.name === req.name &&
    domains.length === req.domains.length &&
    req.domains.every((d) => domains.some((o) => o.domain === d.domain.ascii));
  if (!project || !sameImport || (project.apiKeyHash && !project.pendingApiKeyHash)) {
    throw new ConflictError(`This Coolify application is already imported as project ${projectId}.`, [
      { path: 'coolify.applicationUuid', message: `already imported as project ${projectId}` },
    ]);
  }
  await writeSatelliteKey(projectId, req.coolify.applicationUuid, await coolify());
  return toStaffProjectView(await loadProjectParts(projectId));
}

async function writeSatelliteKey(projectId: string, appUuid: string, client: CoolifyClient): Promise<void> {
  try {
    await ensureSatelliteEnvironment(projectId, appUuid, client, {
      marketplaceUrl: provisioningConfig().MARKETPLACE_URL,
      ownerLogin: false,
    });
  } catch (err) {
    logger.error('imported project: satellite key not written', { projectId, err });
    await appendLog({
      projectId,
      action: 'import_key_failed',
      message: `The satellite's key could not be written to Coolify (${(err as Error).message}); send the same import again to finish it`,
      externalService: 'coolify',
      externalId: appUuid,
    });
    throw err;
  }
}
