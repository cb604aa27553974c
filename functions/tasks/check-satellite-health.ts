import { checkSatelliteHealth } from '../../shared/services/provisioning/check-satellite-health.js';
import { pollInput } from '../../shared/services/provisioning/task-input.js';
import { taskHandler } from '../../shared/task-handler.js';

export const handler = taskHandler('CheckSatelliteHealth', pollInput, checkSatelliteHealth);
