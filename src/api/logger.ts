/** A structured logger. Fields must never carry tokens, bodies, case ids or personal data. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON line per entry on stdout (info) or stderr (warn, error). */
export function jsonLogger(now: () => number = Date.now): Logger {
  const write = (level: string, stream: NodeJS.WriteStream) => (message: string, fields?: Record<string, unknown>) => {
    stream.write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, message, ...fields })}\n`);
  };
  return {
    info: write('info', process.stdout),
    warn: write('warn', process.stderr),
    error: write('error', process.stderr),
  };
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Keeps entries in memory (tests). */
export function memoryLogger(): Logger & {
  entries: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
} {
  const entries: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const add = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    entries.push(fields === undefined ? { level, message } : { level, message, fields });
  };
  return { entries, info: add('info'), warn: add('warn'), error: add('error') };
}
