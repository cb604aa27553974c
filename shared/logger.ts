// Structured JSON logs (one line per entry) for CloudWatch. Kept tiny on purpose: it is loaded by every
// function at cold start. Never pass secrets, API keys or tokens in `fields`.

type Level = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<Level | 'silent', number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

function write(level: Level, message: string, fields?: Record<string, unknown>): void {
  const threshold = RANK[(process.env.LOG_LEVEL ?? 'info') as Level] ?? RANK.info;
  if (RANK[level] < threshold) return;
  const entry = { level, message, time: new Date().toISOString(), ...fields };
  const line = JSON.stringify(entry, (_k, v) =>
    v instanceof Error ? { name: v.name, message: v.message } : v,
  );
  if (level === 'error' || level === 'warn') console.error(line);
  else console.log(line);
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => write('debug', m, f),
  info: (m: string, f?: Record<string, unknown>) => write('info', m, f),
  warn: (m: string, f?: Record<string, unknown>) => write('warn', m, f),
  error: (m: string, f?: Record<string, unknown>) => write('error', m, f),
};
