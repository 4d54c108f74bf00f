import {
  aggregateHealth,
  countReport,
  evidenceWeight,
  healthStatus,
  NO_HEALTH,
  runQuality,
  type IRunEvidence
} from '../../src/services/healthScore';

/* Pure health aggregation: how one run is scored, how runs add up, and which status a notebook gets when. */

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00.000Z');

function run(overrides: Partial<IRunEvidence> = {}): IRunEvidence {
  return {
    reporter: 'ann',
    revisionNumber: 3,
    sameCodeAsHead: true,
    codeCells: 10,
    ok: 10,
    failed: 0,
    reached: 10,
    reportedAt: '2026-05-30T00:00:00.000Z',
    ...overrides
  };
}

describe('runQuality', () => {
  it('is 1 for a complete run without errors and 0 for a failure in the first cell', () => {
    expect(runQuality(run())).toBe(1);
    expect(runQuality(run({ ok: 0, failed: 1, reached: 0 }))).toBe(0);
  });

  it('weighs an early failure worse than a late one', () => {
    const early = runQuality(run({ ok: 1, failed: 1, reached: 1 }));
    const late = runQuality(run({ ok: 8, failed: 1, reached: 8 }));
    expect(early).toBeLessThan(late);
    expect(late).toBeCloseTo((8 / 9 + 8 / 10) / 2);
  });

  it('counts a run that stopped half way without errors by the depth it reached', () => {
    expect(runQuality(run({ ok: 5, reached: 5 }))).toBeCloseTo(0.75);
  });
});

describe('evidenceWeight', () => {
  it('counts runs of the current code fully and halves older code per revision behind', () => {
    expect(evidenceWeight({ revisionNumber: 1, sameCodeAsHead: true }, 5)).toBe(1);
    expect(evidenceWeight({ revisionNumber: 4, sameCodeAsHead: false }, 5)).toBe(0.5);
    expect(evidenceWeight({ revisionNumber: 2, sameCodeAsHead: false }, 5)).toBe(0.125);
  });
});

describe('aggregateHealth', () => {
  it('has no score without reports', () => {
    expect(aggregateHealth([], 1)).toEqual(NO_HEALTH);
  });

  it('shrinks toward 0.5 when there is little evidence and approaches the observed quality with more', () => {
    const one = aggregateHealth([run()], 3);
    expect(one.score).toBeCloseTo(2 / 3);
    const five = aggregateHealth(
      ['a', 'b', 'c', 'd', 'e'].map(reporter => run({ reporter })),
      3
    );
    expect(five.score).toBeCloseTo(6 / 7);
    expect(five.evidence).toBe(5);
    const failing = aggregateHealth([run({ ok: 0, failed: 1, reached: 0 })], 3);
    expect(failing.score).toBeCloseTo(1 / 3);
  });

  it('counts each reporter once, with their report on the latest code', () => {
    const reports = [
      run({ reporter: 'ann', revisionNumber: 1, sameCodeAsHead: false, ok: 0, failed: 1, reached: 0 }),
      run({ reporter: 'ann', revisionNumber: 3 }),
      run({ reporter: 'ann', revisionNumber: 2, sameCodeAsHead: false })
    ];
    const aggregate = aggregateHealth(reports, 3);
    expect(aggregate.evidence).toBe(1);
    expect(aggregate.score).toBeCloseTo(2 / 3);
    expect(aggregate.runs).toBe(3);
  });

  it('lets reports on older code count less and never as a success of the current code', () => {
    const aggregate = aggregateHealth([run({ revisionNumber: 2, sameCodeAsHead: false })], 3);
    expect(aggregate.evidence).toBe(0.5);
    expect(aggregate.lastSuccessAt).toBeNull();
    expect(aggregate.lastRunAt).toBe('2026-05-30T00:00:00.000Z');
  });

  it('dates the last success by the latest complete run without errors', () => {
    const aggregate = aggregateHealth(
      [
        run({ reporter: 'a', reportedAt: '2026-01-01T00:00:00.000Z' }),
        run({ reporter: 'b', reportedAt: '2026-03-01T00:00:00.000Z', ok: 9, failed: 1, reached: 9 }),
        run({ reporter: 'c', reportedAt: '2026-02-01T00:00:00.000Z', ok: 4, reached: 4 })
      ],
      3
    );
    expect(aggregate.lastSuccessAt).toBe('2026-01-01T00:00:00.000Z');
    expect(aggregate.lastRunAt).toBe('2026-03-01T00:00:00.000Z');
  });
});

describe('healthStatus', () => {
  const status = (reports: IRunEvidence[], staleDays = 90) => healthStatus(aggregateHealth(reports, 3), NOW, staleDays);

  it('is unknown without evidence about the current code', () => {
    expect(healthStatus(NO_HEALTH, NOW, 90)).toBe('unknown');
    expect(status([run({ revisionNumber: 2, sameCodeAsHead: false })])).toBe('unknown');
  });

  it('is healthy after a recent complete run and unhealthy when runs fail early', () => {
    expect(status([run()])).toBe('healthy');
    expect(status([run({ ok: 0, failed: 1, reached: 0 })])).toBe('unhealthy');
  });

  it('is unknown while good runs never went through every cell', () => {
    expect(status([run({ ok: 6, reached: 6 })])).toBe('unknown');
  });

  it('is stale once the last complete successful run is older than the configured days', () => {
    const old = new Date(NOW - 91 * DAY).toISOString();
    expect(status([run({ reportedAt: old })])).toBe('stale');
    expect(status([run({ reportedAt: old })], 120)).toBe('healthy');
    expect(status([run({ reportedAt: new Date(NOW - 89 * DAY).toISOString() })])).toBe('healthy');
  });

  it('says unhealthy rather than stale when recent runs fail', () => {
    const reports = [
      run({ reporter: 'a', reportedAt: new Date(NOW - 200 * DAY).toISOString() }),
      ...['b', 'c', 'd'].map(reporter => run({ reporter, ok: 0, failed: 1, reached: 0 }))
    ];
    expect(status(reports)).toBe('unhealthy');
  });
});

describe('countReport', () => {
  const cells = [
    { id: 'a', hash: 'h1' },
    { id: 'b', hash: 'h2' },
    { id: 'c', hash: 'h2' },
    { id: 'd', hash: 'h4' }
  ];

  it('counts the cells that ran and the depth reached before the first error', () => {
    expect(
      countReport(cells, [
        { id: 'a', sourceHash: 'h1', status: 'ok' },
        { id: 'b', sourceHash: 'h2', status: 'ok' },
        { id: 'c', sourceHash: 'h2', status: 'error' }
      ])
    ).toEqual({ ok: 2, failed: 1, reached: 2 });
  });

  it('reaches the deepest cell that ran when none failed', () => {
    expect(countReport(cells, [{ id: 'd', sourceHash: 'h4', status: 'ok' }])).toEqual({ ok: 1, failed: 0, reached: 4 });
  });

  it('ignores cells that are not code cells of the revision, so depth cannot be faked', () => {
    expect(
      countReport(cells, [
        { id: 'a', sourceHash: 'h1', status: 'ok' },
        { id: 'x', sourceHash: 'f'.repeat(64), status: 'ok' },
        { id: 'd', sourceHash: 'edited', status: 'ok' }
      ])
    ).toEqual({ ok: 1, failed: 0, reached: 1 });
    expect(countReport(cells, [{ id: 'a', sourceHash: 'nope', status: 'ok' }])).toBeNull();
  });

  it('matches each revision cell at most once, by id first and then by hash in order', () => {
    const repeated = Array.from({ length: 10 }, () => ({ id: 'b', sourceHash: 'h2', status: 'ok' as const }));
    expect(countReport(cells, repeated)).toEqual({ ok: 2, failed: 0, reached: 3 });
    // Without ids (nbformat 4.4) the copy's cells get new ids: the hash alone finds them.
    const noIds = cells.map(cell => ({ ...cell, id: null }));
    expect(countReport(noIds, [{ id: 'new-1', sourceHash: 'h2', status: 'error' }])).toEqual({
      ok: 0,
      failed: 1,
      reached: 1
    });
  });
});
