/** Text of an uploaded file: UTF-8 (a BOM is dropped), else GB18030 — what Chinese Excel and GIS tools write. */
export function decodeText(data: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}
