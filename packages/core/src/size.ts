/** Bytes in the megabyte this project's messages speak of (the MiB that `--body-limit 50MiB` sets). */
export const BYTES_PER_MEGABYTE = 1024 * 1024;

/**
 * A size in megabytes as messages show it, to one decimal without a trailing `.0`: `50`, `60.2`, and `0.1` for
 * anything above zero that would round to nothing, so a size is never shown as 0 when it is not.
 */
export function megabytes(bytes: number): string {
  const tenths = Math.round((bytes / BYTES_PER_MEGABYTE) * 10);
  return String((bytes > 0 ? Math.max(tenths, 1) : 0) / 10);
}
