// The finding a call fails with: tests assert codes and places, not message text.
import { LabelmapError, type Finding } from '../../src/findings.js';

/** Runs `run` (sync or async) and returns the finding of the LabelmapError it throws; fails otherwise. */
export async function findingOf(run: () => unknown): Promise<Finding> {
  try {
    await run();
  } catch (error) {
    if (error instanceof LabelmapError) return error.finding;
    throw error;
  }
  throw new Error('expected a LabelmapError, but the call succeeded');
}
