/**
 * What FileUpload checks before sending: the type by the name's extension (browsers give
 * CSV as text/csv, application/vnd.ms-excel or nothing, so their `type` is not trusted),
 * an empty file, and the size limit. The server checks again (415, 422, 413).
 */

export interface AcceptedType {
  /** With the dot, lower case: ".csv". */
  extension: string;
  /** What is sent as Content-Type for it. */
  mediaType: string;
}

export type FileCheck =
  | { ok: true; mediaType: string }
  | { ok: false; reason: "type"; allowed: string }
  | { ok: false; reason: "empty" }
  | { ok: false; reason: "size"; maxBytes: number };

export function checkFile(file: { name: string; size: number }, accept: readonly AcceptedType[], maxBytes?: number): FileCheck {
  const name = file.name.toLowerCase();
  const type = accept.find((a) => name.endsWith(a.extension.toLowerCase()));
  if (!type) return { ok: false, reason: "type", allowed: accept.map((a) => a.extension).join(", ") };
  if (file.size === 0) return { ok: false, reason: "empty" };
  if (maxBytes !== undefined && file.size > maxBytes) return { ok: false, reason: "size", maxBytes };
  return { ok: true, mediaType: type.mediaType };
}

/** The input's `accept` attribute: extensions and media types, so pickers filter either way. */
export function acceptAttribute(accept: readonly AcceptedType[]): string {
  return [...new Set(accept.flatMap((a) => [a.extension, a.mediaType]))].join(",");
}
