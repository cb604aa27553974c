import { taskHandler } from '../../shared/platform/lambda/task-handler.js';
import { checkSatelliteHealth } from '../../shared/provisioning/tasks/check-satellite-health.js';
import { pollInput } from '../../shared/provisioning/tasks/task-input.js';

export const handler = taskHandler('CheckSatelliteHealth', pollInput, checkSatelliteHealth);
