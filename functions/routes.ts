import * as z from 'zod';
import type { Role } from '../shared/http/auth.js';
import type { RouteDef } from '../shared/http/route.js';
import * as catalog from '../shared/schemas/catalog.js';
import { idParam, listOf, pageQuery } from '../shared/schemas/common.js';
import * as project from '../shared/schemas/project.js';
import * as satellite from '../shared/schemas/satellite.js';

// The one route table: CDK builds the HTTP API from it, the local server routes with it, the
// handlers read their auth from it and /v1/openapi.json is generated from it.

export type { RouteDef } from '../shared/http/route.js';

const everyone: readonly Role[] = ['admin', 'staff', 'customer', 'reseller'];
const staff: readonly Role[] = ['admin', 'staff'];

export const routes = {
  health: {
    method: 'GET',
    path: '/v1/health',
    auth: 'none',
    handler: 'health',
    tag: 'meta',
    status: 200,
    summary: 'Liveness check',
    response: z.object({ status: z.literal('ok') }),
  },
  openApi: {
    method: 'GET',
    path: '/v1/openapi.json',
    auth: 'none',
    handler: 'openapi',
    tag: 'meta',
    status: 200,
    summary: 'This API as an OpenAPI 3.1 document',
    response: z.record(z.string(), z.unknown()),
  },
  listProjectTypes: {
    method: 'GET',
    path: '/v1/project-types',
    auth: 'none',
    handler: 'list-project-types',
    tag: 'catalog',
    status: 200,
    summary: 'Project types on offer',
    response: listOf(catalog.projectTypeView),
  },
  listBundles: {
    method: 'GET',
    path: '/v1/bundles',
    auth: 'none',
    handler: 'list-bundles',
    tag: 'catalog',
    status: 200,
    summary: 'Plugin bundles with their prices',
    query: catalog.bundlesQuery,
    response: listOf(catalog.bundleView),
  },
  listPlugins: {
    method: 'GET',
    path: '/v1/plugins',
    auth: 'none',
    handler: 'list-plugins',
    tag: 'catalog',
    status: 200,
    summary: 'Plugins on offer',
    response: listOf(catalog.pluginView),
  },
  listBaseDomains: {
    method: 'GET',
    path: '/v1/base-domains',
    auth: 'none',
    handler: 'list-base-domains',
    tag: 'catalog',
    status: 200,
    summary: 'Base domains for subdomain projects',
    response: listOf(catalog.baseDomainView),
  },
  createProject: {
    method: 'POST',
    path: '/v1/projects',
    auth: 'jwt',
    roles: everyone,
    handler: 'create-project',
    tag: 'projects',
    status: 201,
    summary: 'Order a project; invoice/free orders start provisioning at once',
    body: project.createProjectRequest,
    response: project.createProjectResponse,
  },
  listProjects: {
    method: 'GET',
    path: '/v1/projects',
    auth: 'jwt',
    roles: everyone,
    handler: 'list-projects',
    tag: 'projects',
    status: 200,
    summary: "The caller's projects; staff: all projects in a status",
    query: project.listProjectsQuery,
    response: listOf(project.projectView),
  },
  getProject: {
    method: 'GET',
    path: '/v1/projects/{id}',
    auth: 'jwt',
    roles: everyone,
    handler: 'get-project',
    tag: 'projects',
    status: 200,
    summary: 'A project (owner or staff)',
    params: idParam,
    response: project.projectView,
  },
  listProjectLogs: {
    method: 'GET',
    path: '/v1/projects/{id}/logs',
    auth: 'jwt',
    roles: everyone,
    handler: 'list-project-logs',
    tag: 'projects',
    status: 200,
    summary: 'Provisioning log of a project, newest first',
    params: idParam,
    query: pageQuery,
    response: listOf(project.provisioningLogView),
  },
  getSatelliteConfig: {
    method: 'GET',
    path: '/v1/projects/{id}/config',
    auth: 'apiKey',
    handler: 'get-satellite-config',
    tag: 'satellite',
    status: 200,
    summary: 'Bootstrap configuration of a satellite',
    params: idParam,
    response: satellite.satelliteConfigView,
  },
  listSatellitePlugins: {
    method: 'GET',
    path: '/v1/projects/{id}/plugins',
    auth: 'apiKey',
    handler: 'list-satellite-plugins',
    tag: 'satellite',
    status: 200,
    summary: 'Plugins licensed to a satellite',
    params: idParam,
    response: listOf(satellite.satellitePluginView),
  },
  downloadPlugin: {
    method: 'POST',
    path: '/v1/plugins/{name}/download',
    auth: 'apiKey',
    handler: 'download-plugin',
    tag: 'satellite',
    status: 200,
    summary: 'A presigned URL for a licensed plugin ZIP',
    params: satellite.pluginNameParam,
    response: satellite.pluginDownloadView,
  },
  retryProvisioning: {
    method: 'POST',
    path: '/v1/admin/projects/{id}/retry',
    auth: 'jwt',
    roles: staff,
    handler: 'retry-provisioning',
    tag: 'staff',
    status: 202,
    summary: "Redrive a failed project's provisioning execution",
    params: idParam,
    response: project.retryResponse,
  },
} as const satisfies Record<string, RouteDef>;

export type RouteName = keyof typeof routes;
export const routeList: [RouteName, RouteDef][] = Object.entries(routes) as [RouteName, RouteDef][];
