/**
 * API shapes of reproducibility metadata (what a revision needs to run) and notebook health (whether it runs, as
 * reported by the extension of users who opted in).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Nullable, TimestampSchema } from './common';

/** What a revision needs to run, read from its metadata and its import lines. */
export const EnvironmentSchema = Type.Object(
  {
    kernelName: Nullable(Type.String({ description: 'metadata.kernelspec.name, e.g. python3' })),
    language: Nullable(Type.String({ description: 'metadata.language_info.name, else kernelspec.language' })),
    languageVersion: Nullable(Type.String({ description: 'metadata.language_info.version' })),
    packages: Type.Array(Type.String(), {
      description: 'Packages the code imports or installs (import, from, library, require, using, %pip/!pip install)'
    })
  },
  { additionalProperties: false }
);
export type INotebookEnvironment = Static<typeof EnvironmentSchema>;

/** How a notebook fares when people run it. */
export const HealthStatusSchema = Type.Union(
  [Type.Literal('healthy'), Type.Literal('unhealthy'), Type.Literal('unknown'), Type.Literal('stale')],
  {
    description:
      'unknown: too little evidence; unhealthy: runs fail or stop early; stale: no complete successful run of ' +
      'the current code within the configured days; healthy otherwise'
  }
);
export type HealthStatus = Static<typeof HealthStatusSchema>;

/** A notebook's health, aggregated from run reports. */
export const NotebookHealthSchema = Type.Object(
  {
    status: HealthStatusSchema,
    score: Nullable(Type.Number({ minimum: 0, maximum: 1, description: 'null without any evidence' })),
    runs: Type.Integer({ minimum: 0, description: 'Run reports kept: one per reporter and revision' }),
    lastRunAt: Nullable(TimestampSchema),
    lastSuccessAt: Nullable(
      Type.String({ format: 'date-time', description: 'Last complete run without errors of the current code' })
    )
  },
  { additionalProperties: false }
);
export type INotebookHealth = Static<typeof NotebookHealthSchema>;

/** Most cells one health report may carry. */
export const HEALTH_REPORT_MAX_CELLS = 2000;

/** The outcome of one code cell's last execution: its id and the SHA-256 of its source, never its outputs. */
export const HealthCellSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    sourceHash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'Lower-case hex SHA-256 of the UTF-8 source' }),
    status: Type.Union([Type.Literal('ok'), Type.Literal('error')])
  },
  { additionalProperties: false }
);
export type IHealthCell = Static<typeof HealthCellSchema>;

/**
 * `POST /api/notebooks/:id/health` body. Cells whose hash is not that of a code cell of `revision` are ignored;
 * `total` is the client's count of code cells (the server counts the revision's own).
 */
export const HealthReportRequestSchema = Type.Object(
  {
    revision: Type.String({ minLength: 1, maxLength: 64, description: 'The revision that ran' }),
    cells: Type.Array(HealthCellSchema, { minItems: 1, maxItems: HEALTH_REPORT_MAX_CELLS }),
    total: Type.Integer({ minimum: 0, maximum: 100_000 })
  },
  { additionalProperties: false }
);
export type IHealthReportRequest = Static<typeof HealthReportRequestSchema>;
