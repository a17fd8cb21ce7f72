function offer(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Offers `text` to the browser as a file download. */
export function downloadText(filename: string, text: string, type: string): void {
  offer(filename, new Blob([text], { type }));
}

/** Offers `bytes` to the browser as a file download. */
export function downloadBytes(filename: string, bytes: Uint8Array, type: string): void {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  offer(filename, new Blob([copy.buffer], { type }));
}

/** Offers a fetched `blob` to the browser as a file download. */
export function downloadBlob(filename: string, blob: Blob): void {
  offer(filename, blob);
}
