/*
 * Starting and stopping the throwaway PostgreSQL clusters of the server tests (see postgresCluster.ts). Plain
 * CommonJS so jest's global teardown, which runs outside the test sandbox, uses the same code as the tests.
 * Each cluster's folder records the test run that made it (GALLERY_TEST_RUN, set by the global setup) and the
 * process that started it: the teardown stops its run's clusters, and a later run stops those of runs that died.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const SUPERUSER = 'postgres';
const PREFIX = 'gallery-pg-';
/** Time for initdb or a start on a loaded 2-core machine. */
const START_TIMEOUT_MS = 120_000;

/** Where initdb and pg_ctl are: GALLERY_PG_BIN, else the newest /usr/lib/postgresql/N/bin (Debian's layout). */
function binDir() {
  if (process.env.GALLERY_PG_BIN) {
    return process.env.GALLERY_PG_BIN;
  }
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter(version => fs.existsSync(path.join(root, version, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) {
    throw new Error(
      'PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb): run "source scripts/lib.sh && ' +
        'ensure_postgres", or set GALLERY_PG_BIN to the folder holding initdb and pg_ctl'
    );
  }
  return path.join(root, versions[0], 'bin');
}

/** Runs a PostgreSQL program as the postgres user when the tests run as root (initdb refuses root), else as is. */
function runAsOwner(program, args) {
  const binary = path.join(binDir(), program);
  const asRoot = process.getuid && process.getuid() === 0;
  execFileSync(asRoot ? 'runuser' : binary, asRoot ? ['-u', SUPERUSER, '--', binary, ...args] : args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: START_TIMEOUT_MS
  });
}

/** Initialises and starts a cluster in a new temporary folder; returns the folder (socket inside it). */
function startCluster() {
  sweep(owner => !alive(owner.pid));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), PREFIX));
  fs.writeFileSync(
    path.join(dir, 'owner.json'),
    JSON.stringify({ pid: process.pid, run: process.env.GALLERY_TEST_RUN || null })
  );
  const data = path.join(dir, 'data');
  if (process.getuid && process.getuid() === 0) {
    execFileSync('chown', ['-R', `${SUPERUSER}:`, dir]);
  }
  initCluster(data);
  startInitialised(dir);
  return dir;
}

/** initdb of a new cluster in `data`. */
function initCluster(data) {
  // A language collation (ICU English), as production databases usually have, not the C locale: PostgreSQL then
  // sorts text unlike SQLite's byte order unless a query says COLLATE "C", and the contract tests, which run the
  // same assertions on both backends, catch a query that forgot to.
  runAsOwner('initdb', [
    '-D',
    data,
    '-U',
    SUPERUSER,
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--locale-provider=icu',
    '--icu-locale=en',
    '--no-sync'
  ]);
}

/**
 * Starts the initialised cluster of `dir` on a Unix socket there, with the tests' settings; with `tcpPort`, also on
 * that port of 127.0.0.1 (the socket is then `.s.PGSQL.<tcpPort>`), for tests of what only TCP sessions have.
 */
function startInitialised(dir, tcpPort) {
  const data = path.join(dir, 'data');
  const settings = [
    `-k ${dir}`,
    ...(tcpPort ? ['-c listen_addresses=127.0.0.1', `-p ${tcpPort}`] : ["-c listen_addresses=''"]),
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300'
  ].join(' ');
  runAsOwner('pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', settings, '-w', '-t', '120', 'start']);
}

/**
 * A cluster in `dir` that outlives the run (the bench's, whose cached databases are reused by later runs): created on
 * first use, started when it is not running, left as it is when it is. Stopped with {@link stopClusterKeepingData}.
 * Not under the tests' prefix, so no test run's sweep removes it.
 */
function startPersistentCluster(dir) {
  const data = path.join(dir, 'data');
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    if (process.getuid && process.getuid() === 0) {
      execFileSync('chown', ['-R', `${SUPERUSER}:`, dir]);
    }
    initCluster(data);
  }
  try {
    runAsOwner('pg_ctl', ['-D', data, 'status']);
    return dir;
  } catch {
    // Not running (exit status 3): started below.
  }
  try {
    startInitialised(dir);
  } catch {
    // A cluster with fsync off may not survive the machine's crash: it is a cache, so it is made again.
    fs.rmSync(data, { recursive: true, force: true });
    initCluster(data);
    startInitialised(dir);
  }
  return dir;
}

/** Stops a cluster of {@link startPersistentCluster}, keeping its data for the next run. */
function stopClusterKeepingData(dir) {
  try {
    runAsOwner('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
  } catch {
    // Not running.
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function stopCluster(dir) {
  try {
    runAsOwner('pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  } catch {
    // Not running (never started, or already stopped): removing the folder is all that is left.
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Stops and removes every test cluster whose owner record matches `predicate`. */
function sweep(predicate) {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(PREFIX)) {
      continue;
    }
    const dir = path.join(os.tmpdir(), name);
    let owner;
    try {
      owner = JSON.parse(fs.readFileSync(path.join(dir, 'owner.json'), 'utf8'));
    } catch {
      continue;
    }
    if (predicate(owner)) {
      stopCluster(dir);
    }
  }
}

/** Jest global teardown: stops the clusters this run started (in any worker). */
function stopThisRunsClusters() {
  const run = process.env.GALLERY_TEST_RUN;
  if (run) {
    sweep(owner => owner.run === run);
  }
}

module.exports = {
  START_TIMEOUT_MS,
  startCluster,
  startInitialised,
  stopCluster,
  stopThisRunsClusters,
  startPersistentCluster,
  stopClusterKeepingData
};
