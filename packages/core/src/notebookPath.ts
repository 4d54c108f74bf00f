/** One step into a notebook: a key of an object or an index into a list. */
export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Write a place in a notebook the way error messages name it: `cells[3].metadata.tags[0]`, with keys that are
 * not plain names quoted (`metadata["iopub.status.busy"]`, cut short when very long); the empty path is the whole
 * notebook.
 */
export function formatPath(segments: readonly PathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') {
      path += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      path += path ? `.${segment}` : segment;
    } else {
      path += `[${JSON.stringify(segment.length > 60 ? `${segment.slice(0, 60)}…` : segment)}]`;
    }
  }
  return path;
}
