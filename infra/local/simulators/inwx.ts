// The INWX simulator's public entry point; the implementation lives in ./inwx/.

export type {
  InwxSimContact,
  InwxSimDomain,
  InwxSimDomainView,
  InwxSimRecord,
  InwxSimStats,
  InwxSimulator,
  InwxSimulatorOptions,
  InwxSimZone,
} from './inwx/model.js';
export { INWX_BASE_ZONE } from './inwx/model.js';
export { createInwxSimulator } from './inwx/simulator.js';
