// Browser downloads of generated files through a temporary object URL.

/** Starts a download of `data` named `fileName`; the object URL is revoked after the click is handled. */
export function downloadFile(fileName: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoking at once can cancel the download in some browsers, so wait a moment.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Turns a name into a file-name stem: lower case, letters, digits and dashes. */
export function fileStem(name: string): string {
  const stem = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return stem.length > 0 ? stem : 'untitled';
}
