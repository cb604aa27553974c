import type { FaultRegistry } from '../faults.js';
import type { Simulator } from '../types.js';

// What the INWX simulator keeps (DNS zones and records, registered domains) and how it is configured.

/** The zone every account starts with; customer subdomains get their records here. */
export const INWX_BASE_ZONE = 'vrs.gmbh';

export interface InwxSimRecord {
  id: number;
  zone: string;
  name: string;
  type: string;
  content: string;
  ttl: number;
  prio: number;
}

export interface InwxSimZone {
  roId: number;
  domain: string;
  type: string;
  ns: string[];
}

export interface InwxSimDomain {
  roId: number;
  domain: string;
  /** `OK`, `TRANSFER PENDING`, or `ORDER PENDING` until the next domain.info after domain.create. */
  status: string;
  crDate: string;
  authCode?: string;
  transfer?: { polls: number; fails: boolean };
  ns: string[];
}

export interface InwxSimulatorOptions {
  faults: FaultRegistry;
  /** JSON file to load at start and rewrite after every change. */
  persistPath?: string;
  /** domain.info polls until a transfer is OK (the Nth poll answers OK); default VRS_SIM_TRANSFER_POLLS or 3. */
  transferPolls?: number;
}

export interface InwxSimulator extends Simulator {
  /** All records, or those of one zone. */
  records(zone?: string): InwxSimRecord[];
  zones(): InwxSimZone[];
  domains(): InwxSimDomain[];
  /** Forgets every session, as after an INWX restart: the next call answers 2200. */
  expireSessions(): void;
}
