/** Shapes of `GET /healthz`, `/readyz` and `/livez`. */
import { Type, type Static } from '@sinclair/typebox';

/** One dependency's answer: `ok`, or `failed` with a sentence saying what failed. */
export const HealthCheckSchema = Type.Object(
  { status: Type.Union([Type.Literal('ok'), Type.Literal('failed')]), message: Type.Optional(Type.String()) },
  { additionalProperties: false }
);

/**
 * `GET /healthz` and `GET /readyz` reply: `ok` with status 200 when the database and the data directory answer,
 * else `unavailable` with status 503 and the `error` and `message` every error reply has.
 */
export const HealthResponseSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    version: Type.String(),
    checks: Type.Object({ database: HealthCheckSchema, volume: HealthCheckSchema }, { additionalProperties: false }),
    error: Type.Optional(Type.String()),
    message: Type.Optional(Type.String())
  },
  { additionalProperties: false }
);
export type IHealthResponse = Static<typeof HealthResponseSchema>;

/** `GET /livez` reply: the process answers (nothing else is checked). */
export const LivenessResponseSchema = Type.Object(
  { status: Type.Literal('ok'), version: Type.String() },
  { additionalProperties: false }
);
