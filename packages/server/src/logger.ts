/** The part of a pino logger the stores use, so they can log without depending on Fastify. */
export interface ILogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** Logs one JSON line per message to stderr; for the CLI and the bench, which have no Fastify logger. */
export const stderrLogger: ILogger = {
  warn: (details, message) => writeLine('warn', details, message),
  error: (details, message) => writeLine('error', details, message)
};

function writeLine(level: string, details: object, message: string): void {
  const plain = Object.fromEntries(
    Object.entries(details).map(([key, value]) => [key, value instanceof Error ? value.message : value])
  );
  process.stderr.write(`${JSON.stringify({ level, msg: message, ...plain })}\n`);
}
