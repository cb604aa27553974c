import { describe, expect, it } from 'vitest';
import type { ProjectDomain } from '../../../shared/projects/projects-table.js';
import {
  type PlanInput,
  type PlanServer,
  provisioningPlan,
  SATELLITE_ENV_NAMES,
} from '../../../shared/provisioning/plan/provisioning-plan.js';

const PROJECT_ID = '3f2b6c1e-8d4a-4b7e-9c2f-1a5d8e0b6c47';
const srv = (name: string, projectCount: number, more: Partial<PlanServer> = {}): PlanServer => ({
  id: `srv-${name}`,
  name,
  status: 'active',
  isAcceptingNew: true,
  projectCount,
  maxProjects: 20,
  ipAddress: `203.0.113.${projectCount + 10}`,
  coolifyUuid: `coolify-${name}`,
  ...more,
});
const subdomain: ProjectDomain = {
  projectId: PROJECT_ID,
  domain: 'mueller.vrs.gmbh',
  type: 'subdomain',
  status: 'pending_dns',
  isPrimary: true,
  baseDomain: 'vrs.gmbh',
  subdomain: 'mueller',
  inwxRecordIds: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
} as ProjectDomain;

const input = (more: Partial<PlanInput> = {}): PlanInput => ({
  project: { id: PROJECT_ID, name: 'Steuerberater Müller', status: 'pending_domain' },
  domains: [subdomain],
  projectType: {
    code: 'business_directory',
    appSource: { kind: 'docker-image', image: 'ghcr.io/vrs/satellite', tag: '1.4', port: 8080 },
  },
  servers: [srv('busy', 15), srv('quiet', 2)],
  selection: { strategy: 'least-loaded', nextTicket: 0 },
  marketplaceUrl: 'https://api.vrs.gmbh',
  healthCheckUrlTemplate: 'https://{domain}/health',
  ...more,
});

const step = (plan: ReturnType<typeof provisioningPlan>, action: string) =>
  plan.steps.filter((s) => s.action === action);

describe('provisioningPlan', () => {
  it('names the server it would choose and why, and the records pointing at its IP', () => {
    const plan = provisioningPlan(input());
    expect(step(plan, 'reserve-server')).toEqual([
      expect.objectContaining({
        service: 'marketplace',
        detail: expect.stringMatching(/^quiet \(203\.0\.113\.12\): least loaded: 18 of 20/),
        alreadyDone: false,
      }),
    ]);
    expect(step(plan, 'create-record').map((s) => s.detail)).toEqual([
      'A mueller.vrs.gmbh → 203.0.113.12 (TTL 300) in zone vrs.gmbh',
      'CNAME www.mueller.vrs.gmbh → mueller.vrs.gmbh (TTL 300) in zone vrs.gmbh',
    ]);
  });

  it('describes the Coolify application from the project type, and env var names without values', () => {
    const plan = provisioningPlan(input());
    expect(step(plan, 'create-application')[0]!.detail).toBe(
      `Application vrs-${PROJECT_ID} from Docker image ghcr.io/vrs/satellite:1.4 on server quiet (coolify-quiet), domains https://mueller.vrs.gmbh, port 8080, HTTPS forced`,
    );
    const env = step(plan, 'set-env')[0]!.detail;
    for (const name of SATELLITE_ENV_NAMES) expect(env).toContain(name);
    expect(env).not.toMatch(/vrs_[a-z0-9]{20,}/i);
    expect(step(plan, 'health-check')[0]!.detail).toContain('https://mueller.vrs.gmbh/health');
    expect(plan.steps.map((s) => s.action)).toEqual([
      'reserve-server',
      'create-record',
      'create-record',
      'create-project',
      'create-application',
      'set-env',
      'deploy',
      'health-check',
    ]);
  });

  it('follows round-robin from the next ticket, and a server staff requested', () => {
    const rr = provisioningPlan(input({ selection: { strategy: 'round-robin', nextTicket: 0 } }));
    expect(step(rr, 'reserve-server')[0]!.detail).toMatch(/^busy .*next in turn/);
    const requested = provisioningPlan(
      input({
        project: { id: PROJECT_ID, name: 'X', status: 'pending_domain', requestedServerId: 'srv-busy' },
      }),
    );
    expect(step(requested, 'reserve-server')[0]!.detail).toMatch(/^busy .*requested for this order/);
  });

  it('says provisioning would end in "no free server" when nothing is free', () => {
    const plan = provisioningPlan(
      input({ servers: [srv('full', 20), srv('closed', 0, { isAcceptingNew: false })] }),
    );
    expect(step(plan, 'reserve-server')[0]!.detail).toMatch(/no free server/);
  });

  it('marks what is done already (stored ids) and adds the attach of a custom domain', () => {
    const plan = provisioningPlan(
      input({
        project: {
          id: PROJECT_ID,
          name: 'X',
          status: 'active',
          serverId: 'srv-busy',
          coolifyProjectUuid: 'p-uuid',
          coolifyAppUuid: 'a-uuid',
        },
        domains: [
          { ...subdomain, status: 'active', isPrimary: false, inwxRecordIds: { a: 11, www: 12 } },
          {
            ...subdomain,
            domain: 'mueller.de',
            type: 'registered',
            status: 'pending_registration',
            isPrimary: false,
          } as ProjectDomain,
        ],
      }),
    );
    expect(step(plan, 'reserve-server')[0]).toMatchObject({
      alreadyDone: true,
      detail: expect.stringContaining('busy'),
    });
    expect(step(plan, 'create-record').every((s) => s.alreadyDone)).toBe(true);
    expect(step(plan, 'create-record')[0]!.detail).toContain('203.0.113.25');
    expect(step(plan, 'create-application')[0]!.detail).toContain('(exists: a-uuid)');
    expect(step(plan, 'attach-domain')).toEqual([
      expect.objectContaining({
        service: 'inwx',
        alreadyDone: false,
        detail: expect.stringMatching(/^Register at INWX mueller\.de/),
      }),
    ]);
  });
});
