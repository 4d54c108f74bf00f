import { main } from '../../src/cli';

/**
 * Runs the CLI in this process (no spawn, no compiled lib/) and returns its exit code and what it printed, for
 * tests that check a command's output and then look at the gallery it wrote. Commands that must be killed or must
 * outlive the test use `runCli` or `startServer` from `cliProcess.ts` instead.
 */
export async function cliInProcess(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { status: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
