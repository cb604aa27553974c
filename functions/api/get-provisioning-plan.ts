import { httpHandler } from '../../shared/platform/lambda/http-handler.js';
import { planForProject } from '../../shared/provisioning/plan/plan-service.js';
import { routes } from '../routes.js';

export const handler = httpHandler(routes.getProvisioningPlan, ({ params }) => planForProject(params.id));
