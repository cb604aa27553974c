import { createHash } from 'node:crypto';

// A simulated satellite (vrs-core) per deployed application. It bootstraps the way seeds/000 §8.2
// describes — config, licensed plugins, download and checksum of each ZIP — through the real
// Satellite API with its own API key, and only then reports healthy. It answers on every domain its
// application had when deployed; domains added or removed later count from the next deployment.
// Its pages honour preview protection as a real one would: while its config says so, a page needs
// a preview link (?vrs_preview=<token>) or code (?vrs_code=<6 digits>), checked with
// POST /v1/projects/{id}/preview/verify, and carries X-Robots-Tag from the config.

export interface SatelliteEnv {
  /** Coolify's `fqdn` at deployment: the URLs the app answers on, comma-separated, the first primary. */
  fqdn: string | null;
  envs: Record<string, string>;
}

export type SatelliteState = 'bootstrapping' | 'healthy' | 'failed';

export interface Satellite {
  /** The primary host (the first of `domains`). */
  domain: string;
  /** Every host it answers on: its application's domains when it was deployed. */
  domains: string[];
  projectId: string;
  state: SatelliteState;
  installed: { name: string; version: string; sha256: string; sizeBytes: number }[];
  error: string | null;
  startedAt: string;
  healthyAt: string | null;
}

const ATTEMPTS = 5;

export class SatelliteFleet {
  /** One per project: a redeploy replaces it, whatever domains the previous one answered on. */
  private readonly byProject = new Map<string, Satellite>();
  /** Its VRS_MARKETPLACE_URL and key, as the container's environment holds them. */
  private readonly access = new WeakMap<Satellite, { baseUrl: string; key: string }>();
  /** Host → the satellite answering there (the one deployed last, should two apps claim a host). */
  private readonly byDomain = new Map<string, Satellite>();

  constructor(private readonly opts: { log?: (msg: string) => void } = {}) {}

  /** Starts (or restarts, after a redeploy) the satellite of an application, on all its domains. */
  start(app: SatelliteEnv): void {
    const domains = hostsOf(app.fqdn);
    const projectId = app.envs.VRS_PROJECT_ID;
    const baseUrl = app.envs.VRS_MARKETPLACE_URL;
    const key = app.envs.VRS_MARKETPLACE_KEY;
    // The new deployment replaces the old container even if it cannot start: the old one stops answering.
    if (projectId) this.retire(projectId);
    if (domains.length === 0 || !projectId || !baseUrl || !key) {
      this.opts.log?.(`satellite for ${app.fqdn || '(no domain)'} lacks its VRS_* environment; not started`);
      return;
    }
    const sat: Satellite = {
      domain: domains[0]!,
      domains,
      projectId,
      state: 'bootstrapping',
      installed: [],
      error: null,
      startedAt: new Date().toISOString(),
      healthyAt: null,
    };
    this.byProject.set(projectId, sat);
    this.access.set(sat, { baseUrl: baseUrl.replace(/\/$/, ''), key });
    for (const d of domains) this.byDomain.set(d, sat);
    void this.bootstrap(sat, baseUrl, key);
  }

  /** The application was stopped or deleted: its satellite stops answering (a start deploys it again). */
  stop(projectId: string | undefined): void {
    if (!projectId || !this.byProject.has(projectId)) return;
    this.retire(projectId);
    this.opts.log?.(`satellite of project ${projectId} stopped`);
  }

  get(domain: string): Satellite | undefined {
    return this.byDomain.get(domain.toLowerCase());
  }

  list(): Satellite[] {
    return [...this.byProject.values()];
  }

  /** What GET https://<domain>/health answers. */
  health(domain: string): { status: number; body: Record<string, unknown> } {
    const sat = this.get(domain);
    if (!sat)
      return { status: 502, body: { status: 'unreachable', detail: `no application serves ${domain}` } };
    if (sat.state === 'healthy')
      return {
        status: 200,
        body: { status: 'ok', plugins: sat.installed.map((p) => `${p.name}@${p.version}`) },
      };
    return { status: 503, body: { status: sat.state, detail: sat.error } };
  }

  /**
   * What GET https://<domain>/<path>?<query> answers: the site, or the preview login while
   * protection is on and the query brings no link or code the marketplace accepts. The config is
   * read on every page (a real satellite caches it for a minute).
   */
  async page(
    domain: string,
    query: URLSearchParams,
  ): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    const sat = this.get(domain);
    const access = sat && this.access.get(sat);
    if (!sat || !access || sat.state !== 'healthy')
      return { status: 502, headers: { 'content-type': 'text/plain' }, body: `no site answers on ${domain}` };
    const headers = { 'x-api-key': access.key, accept: 'application/json' };
    const config = await getJson<{ name: string; previewProtection: boolean; robotsTag?: string | null }>(
      `${access.baseUrl}/v1/projects/${sat.projectId}/config`,
      { headers },
    );
    const page = {
      'content-type': 'text/html; charset=utf-8',
      ...(config.robotsTag ? { 'x-robots-tag': config.robotsTag } : {}),
    };
    if (!config.previewProtection) return { status: 200, headers: page, body: `<h1>${config.name}</h1>` };
    const token = query.get('vrs_preview');
    const code = query.get('vrs_code');
    if (!token && !code)
      return {
        status: 401,
        headers: page,
        body: '<h1>Vorschau</h1><form>Code: <input name="vrs_code"></form>',
      };
    const res = await fetch(`${access.baseUrl}/v1/projects/${sat.projectId}/preview/verify`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(token ? { token } : { code }),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.status === 200)
      return { status: 200, headers: page, body: `<h1>${config.name}</h1><p>Vorschau</p>` };
    return {
      status: res.status === 429 ? 429 : 401,
      headers: page,
      body: '<h1>Vorschau</h1><p>Link oder Code ungültig.</p>',
    };
  }

  private retire(projectId: string): void {
    const old = this.byProject.get(projectId);
    if (!old) return;
    this.byProject.delete(projectId);
    for (const d of old.domains) if (this.byDomain.get(d) === old) this.byDomain.delete(d);
  }

  private async bootstrap(sat: Satellite, baseUrl: string, key: string): Promise<void> {
    const names = sat.domains.join(', ');
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      if (this.byProject.get(sat.projectId) !== sat) return; // replaced by a newer deployment
      try {
        await this.bootstrapOnce(sat, baseUrl.replace(/\/$/, ''), key);
        sat.state = 'healthy';
        sat.healthyAt = new Date().toISOString();
        sat.error = null;
        this.opts.log?.(
          `satellite ${names} healthy with ${sat.installed.map((p) => p.name).join(', ') || 'no plugins'}`,
        );
        return;
      } catch (err) {
        sat.error = (err as Error).message;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
      }
    }
    sat.state = 'failed';
    this.opts.log?.(`satellite ${names} failed to bootstrap: ${sat.error}`);
  }

  private async bootstrapOnce(sat: Satellite, baseUrl: string, key: string): Promise<void> {
    const headers = { 'x-api-key': key, accept: 'application/json' };
    const config = await getJson<{ plugins: { name: string; version: string }[] }>(
      `${baseUrl}/v1/projects/${sat.projectId}/config`,
      { headers },
    );
    await getJson(`${baseUrl}/v1/projects/${sat.projectId}/plugins`, { headers });
    const installed: Satellite['installed'] = [];
    for (const plugin of config.plugins) {
      const dl = await getJson<{
        name: string;
        version: string;
        url: string;
        sha256: string;
        sizeBytes: number;
      }>(`${baseUrl}/v1/plugins/${encodeURIComponent(plugin.name)}/download`, { method: 'POST', headers });
      const res = await fetch(dl.url, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`download of ${plugin.name} answered HTTP ${res.status}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 !== dl.sha256)
        throw new Error(`checksum mismatch for ${plugin.name}: got ${sha256}, expected ${dl.sha256}`);
      if (bytes.byteLength !== dl.sizeBytes) throw new Error(`size mismatch for ${plugin.name}`);
      installed.push({ name: dl.name, version: dl.version, sha256, sizeBytes: bytes.byteLength });
    }
    sat.installed = installed;
  }
}

async function getJson<T = unknown>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  if (!res.ok)
    throw new Error(
      `${init.method ?? 'GET'} ${new URL(url).pathname} answered HTTP ${res.status}: ${text.slice(0, 200)}`,
    );
  return JSON.parse(text) as T;
}

/** The distinct hosts of a comma-separated URL list, in order; entries that are no URL are skipped. */
function hostsOf(fqdn: string | null): string[] {
  const hosts: string[] = [];
  for (const url of (fqdn ?? '').split(',')) {
    try {
      const host = new URL(url.trim()).hostname;
      if (host && !hosts.includes(host)) hosts.push(host);
    } catch {
      // not a URL: Coolify would have refused it
    }
  }
  return hosts;
}
