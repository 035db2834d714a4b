// Saves a file from the browser (an anchor with a download name): PNG from a
// data URL, CSV from text.

export function downloadUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** The file's content: the text as UTF-8 bytes (a leading BOM included, as EF BB BF). */
export function textBlob(text: string, type: string): Blob {
  return new Blob([text], { type });
}

export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(textBlob(text, type));
  downloadUrl(url, fileName);
  // The click has started the download; the URL is not needed after this task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Saves bytes (an XLSX or Parquet export, or UTF-8 CSV) as a file. */
export function downloadBytes(bytes: Uint8Array, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  downloadUrl(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
