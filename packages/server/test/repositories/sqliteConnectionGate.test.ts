import * as fs from 'node:fs';
import { openDatabase, type GalleryDatabase } from '../../src/db/database';
import { SqliteAuditLogRepository } from '../../src/repositories/sqlite/sqliteAuditLogRepository';
import { SqliteConnectionGate } from '../../src/repositories/sqlite/sqliteConnectionGate';
import { SqliteUnitOfWork } from '../../src/repositories/sqlite/sqliteUnitOfWork';
import { makeDataDir } from '../helpers/testGallery';

/*
 * Transactions that await, over the one connection every request shares (a real SQLite file): what one request does
 * inside its transaction never mixes with what another request does meanwhile.
 */

let dataDir: string;
let db: GalleryDatabase;
let audit: SqliteAuditLogRepository;
let unitOfWork: SqliteUnitOfWork;

beforeEach(() => {
  dataDir = makeDataDir();
  db = openDatabase(dataDir, { fsync: false });
  audit = new SqliteAuditLogRepository(db);
  unitOfWork = new SqliteUnitOfWork(db);
});

afterEach(() => {
  db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The targets in the audit log as committed, read on a connection of its own (what another process would see). */
function committedTargets(): string[] {
  const reader = openDatabase(dataDir, { fsync: false });
  try {
    return (reader.prepare('SELECT target FROM audit_log ORDER BY id').all() as { target: string }[]).map(
      row => row.target
    );
  } finally {
    reader.close();
  }
}

/** A promise and the function that settles it, so a test decides when a transaction may go on. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>(resolve => (open = resolve));
  return { opened, open };
}

it('commits what the transaction awaited, and rolls all of it back when it fails', async () => {
  await unitOfWork.transaction(async () => {
    await audit.record('ann', 'a', 'kept-1');
    await new Promise(resolve => setTimeout(resolve, 5));
    await audit.record('ann', 'a', 'kept-2');
  });
  await expect(
    unitOfWork.transaction(async () => {
      await audit.record('ann', 'a', 'lost-1');
      await new Promise(resolve => setTimeout(resolve, 5));
      await audit.record('ann', 'a', 'lost-2');
      throw new Error('changed my mind');
    })
  ).rejects.toThrow('changed my mind');
  expect(committedTargets()).toEqual(['kept-1', 'kept-2']);
  expect(db.inTransaction).toBe(false);
});

it('runs a nested transaction inside the outer one: it commits with it and fails with it', async () => {
  await unitOfWork.transaction(async () => {
    await audit.record('ann', 'a', 'outer');
    await unitOfWork.transaction(async () => {
      await audit.record('ann', 'a', 'inner');
    });
    // Not committed on its own: the outer transaction is still open.
    expect(committedTargets()).toEqual([]);
  });
  expect(committedTargets()).toEqual(['outer', 'inner']);
  await expect(
    unitOfWork.transaction(async () => {
      await unitOfWork.transaction(() => audit.record('ann', 'a', 'inner, rolled back'));
      throw new Error('outer failed');
    })
  ).rejects.toThrow('outer failed');
  expect(committedTargets()).toEqual(['outer', 'inner']);
});

it("keeps another request's calls out of an open transaction: they wait, see only committed rows and commit on their own", async () => {
  const paused = gate();
  const reached = gate();
  const transaction = unitOfWork.transaction(async () => {
    await audit.record('ann', 'a', 'uncommitted');
    reached.open();
    await paused.opened;
    throw new Error('rolled back');
  });
  await reached.opened;
  // Another request, in its own async context, while the transaction waits.
  const otherWrite = audit.record('bob', 'b', 'from another request');
  const otherRead = audit.list(10);
  let settled = false;
  void Promise.all([otherWrite, otherRead]).then(() => (settled = true));
  await new Promise(resolve => setTimeout(resolve, 20));
  expect(settled).toBe(false);
  paused.open();
  await expect(transaction).rejects.toThrow('rolled back');
  await otherWrite;
  // The read ran after the rollback: it never saw the uncommitted row, and the write before it survived it.
  expect((await otherRead).map(entry => entry.target)).toEqual(['from another request']);
  expect(committedTargets()).toEqual(['from another request']);
});

it('runs transactions of different requests one after the other, and what waited in the order it came', async () => {
  const paused = gate();
  const first = unitOfWork.transaction(async () => {
    await audit.record('ann', 'a', 'first');
    await paused.opened;
    await audit.record('ann', 'a', 'first, again');
  });
  const between = audit.record('cid', 'c', 'between');
  const second = unitOfWork.transaction(async () => {
    await audit.record('bob', 'b', 'second');
  });
  const after = audit.record('dan', 'd', 'after');
  paused.open();
  await Promise.all([first, between, second, after]);
  expect(committedTargets()).toEqual(['first', 'first, again', 'between', 'second', 'after']);
});

it('runs a call at once, on the same tick, when no transaction is open', () => {
  const gate = SqliteConnectionGate.of(db);
  expect(gate.run(() => 42)).toBe(42);
  expect(SqliteConnectionGate.of(db)).toBe(gate);
});
