import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

// Business and operations metrics in CloudWatch Embedded Metric Format, flushed once per
// invocation by the Lambda pipelines. Locally POWERTOOLS_METRICS_DISABLED keeps them off stdout.

export const metrics = new Metrics({ namespace: 'VrsMarketplace', serviceName: 'vrs-marketplace' });

export const countProjectOrdered = () => metrics.addMetric('ProjectsOrdered', MetricUnit.Count, 1);

export const recordProvisioningDuration = (seconds: number) =>
  metrics.addMetric('ProvisioningDuration', MetricUnit.Seconds, seconds);

/** Published at once with its own dimension, so failures can be told apart by task. */
export function countTaskFailure(task: string): void {
  const single = metrics.singleMetric();
  single.addDimension('Task', task);
  single.addMetric('TaskFailures', MetricUnit.Count, 1);
}
