/** The secret check's API shapes: findings in a 422 reply, and the fingerprints a save confirms. */
import { Type, type Static } from '@sinclair/typebox';
import { ApiErrorSchema } from './common';

/** One finding as the API sends it: the shape the scanner's `ISecretFinding` has (test/secrets checks both agree). */
export const SecretFindingSchema = Type.Object(
  {
    rule: Type.String({ description: "Stable rule id, e.g. 'aws-access-key-id'" }),
    description: Type.String(),
    cellIndex: Type.Integer({ minimum: -1, description: "0-based; -1 for the notebook's own metadata" }),
    cellId: Type.Optional(Type.String()),
    where: Type.Union([Type.Literal('source'), Type.Literal('metadata')]),
    line: Type.Integer({ minimum: 1 }),
    column: Type.Integer({ minimum: 1 }),
    masked: Type.String({ description: 'The secret masked; never the secret itself' }),
    fingerprint: Type.String({ description: 'Hex SHA-256 of rule, NUL, value: what confirmedSecrets takes' })
  },
  { additionalProperties: false }
);

/** A 422 SECRETS_FOUND reply. */
export const SecretsFoundReplySchema = Type.Intersect([
  ApiErrorSchema,
  Type.Object({ findings: Type.Array(SecretFindingSchema) })
]);
export type ISecretsFoundReply = Static<typeof SecretsFoundReplySchema>;

/** Fingerprints from a 422's findings that the caller confirms are not secrets; kept per notebook. */
export const ConfirmedSecretsSchema = Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' }), {
  maxItems: 1000,
  description: 'Fingerprints of findings the caller confirms are not secrets (from a 422 SECRETS_FOUND reply)'
});
