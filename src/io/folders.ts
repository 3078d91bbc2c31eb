// Folder checks at the edge. A path that cannot be examined (missing, a link loop, no permission)
// is not a folder: the read or write that follows says what is wrong with it.
import { existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

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

/**
 * The folder a file named on the command line (`--out <file>`) would be written into, when that
 * folder does not exist; else null (also when something else is in the way: the write says what).
 * Output folders are created; a file goes into a folder the user has, so that a typo in a path
 * (`/nonexistent/dir/x.json`) does not silently become a new tree of folders.
 */
export function missingParentFolder(file: string): string | null {
  const dir = path.dirname(file);
  try {
    statSync(dir);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? dir : null;
  }
}
