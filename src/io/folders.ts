// Folder checks at the edge. A path that cannot be examined (missing, a link loop, no permission)
// is not a folder: the read or write that follows says what is wrong with it.
import { existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';

/** Whether `p` is a folder (links followed). */
export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** isDirectory without blocking the event loop (for readers that walk folders asynchronously). */
export async function isDirectoryAsync(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The guard before writing into an output folder: true when something other than a folder is at
 * `p` (a file), where the folder would be created or written into. (Issue 24 hardens this guard.)
 */
export function existsAsNonFolder(p: string): boolean {
  return existsSync(p) && !statSync(p).isDirectory();
}
