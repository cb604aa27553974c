// Options every AWS SDK client of ours is built with: the SDK's own retries (3 attempts, backoff
// with jitter) and hard timeouts, so a hanging endpoint fails a request instead of a whole Lambda.

export const awsClientOptions = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000, throwOnRequestTimeout: true },
} as const;
