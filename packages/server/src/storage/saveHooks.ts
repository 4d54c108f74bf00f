/**
 * The steps of a save or delete at which a hook runs: after the git objects are written, after the SQLite
 * transaction commits, just before the branch ref is moved (once per attempt), after it moved, and just before a
 * deleted notebook's repository is moved to the trash.
 */
export type SavePoint = 'after-objects' | 'after-commit-db' | 'before-ref' | 'after-ref' | 'before-trash';

/**
 * Runs at each {@link SavePoint}. Production passes {@link NO_SAVE_HOOK}; tests pass hooks that throw there (to
 * stand for a failing disk) or kill the process (to stand for a power cut). A throw counts as that step failing.
 */
export type SaveHook = (point: SavePoint) => void | Promise<void>;

/** The hook production runs: nothing. */
export const NO_SAVE_HOOK: SaveHook = () => undefined;
