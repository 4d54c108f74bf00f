/** Shape of `GET /healthz`. */
import { Type, type Static } from '@sinclair/typebox';

/** `GET /healthz` reply. */
export const HealthResponseSchema = Type.Object(
  { status: Type.Literal('ok'), version: Type.String() },
  { additionalProperties: false }
);
export type IHealthResponse = Static<typeof HealthResponseSchema>;
