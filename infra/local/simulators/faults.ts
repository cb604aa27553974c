import * as z from 'zod';

// Fault injection shared by every simulator (`POST /sim/faults`). A fault matches a service and,
// optionally, one operation; it fires `times` times (or forever without `times`).
// INWX only: `code` is the DomRobot result code an `error` answers with (default 2400, e.g. 2502
// for a session limit on account.login), and `afterEffect` lets the call take effect before its
// answer is lost — a timeout after INWX registered the domain, which a re-run must not repeat.

export const faultSchema = z
  .object({
    service: z.enum(['inwx', 'coolify', 'stripe', 'mail', 'stepfunctions']),
    operation: z.string().min(1).optional(),
    mode: z.enum(['error', 'timeout', 'http_500', 'http_429', 'http_404']),
    times: z.number().int().positive().optional(),
    code: z.number().int().min(2000).max(2999).optional(),
    afterEffect: z.boolean().optional(),
  })
  .superRefine((f, ctx) => {
    if (f.code !== undefined && (f.service !== 'inwx' || f.mode !== 'error'))
      ctx.addIssue({ code: 'custom', path: ['code'], message: 'only with service "inwx" and mode "error"' });
    if (f.afterEffect !== undefined && f.service !== 'inwx')
      ctx.addIssue({ code: 'custom', path: ['afterEffect'], message: 'only with service "inwx"' });
  });
export type Fault = z.infer<typeof faultSchema>;
export type FaultService = Fault['service'];

interface ActiveFault extends Fault {
  remaining: number;
}

export class FaultRegistry {
  private faults: ActiveFault[] = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map(({ remaining: _r, ...f }) => f);
  }

  /**
   * Returns the fault to apply to this call, consuming one of its `times`.
   * `operation` is `METHOD /path` for HTTP simulators (`{name}` segments match anything)
   * or the XML-RPC method name for INWX.
   */
  take(service: FaultService, operation: string): Fault | undefined {
    const hit = this.faults.find(
      (f) =>
        f.service === service &&
        f.remaining > 0 &&
        (!f.operation || operationMatches(f.operation, operation)),
    );
    if (!hit) return undefined;
    hit.remaining -= 1;
    if (hit.remaining <= 0) this.faults = this.faults.filter((f) => f !== hit);
    const { remaining: _r, ...fault } = hit;
    return fault;
  }
}

function operationMatches(pattern: string, actual: string): boolean {
  const [pm, ...pp] = pattern.trim().split(/\s+/);
  const [am, ...ap] = actual.trim().split(/\s+/);
  if (pp.length === 0 && ap.length === 0) return pm === am; // XML-RPC method names
  if (pm?.toUpperCase() !== am?.toUpperCase()) return false;
  const pSegs = (pp.join(' ').split('?')[0] ?? '').split('/').filter(Boolean);
  const aSegs = (ap.join(' ').split('?')[0] ?? '').split('/').filter(Boolean);
  if (pSegs.length !== aSegs.length) return false;
  return pSegs.every((seg, i) => /^\{[^}]+\}$/.test(seg) || seg === aSegs[i]);
}

/** How long a `timeout` fault stalls before the simulator drops the connection. */
export const TIMEOUT_FAULT_MS = 30_000;
