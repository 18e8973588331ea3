/**
 * The visit photo check the browser makes before uploading (the server checks again, by the
 * bytes): JPEG or PNG, not empty, at most 10 MB. Pure, unit-tested.
 */
export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;

export type PhotoProblem = { kind: 'type'; name: string } | { kind: 'size'; sizeMb: string } | { kind: 'empty' };

export function checkPhoto(file: { name: string; type: string; size: number }): PhotoProblem | null {
  const byName = /\.(jpe?g|png)$/i.test(file.name);
  const type = file.type.toLowerCase();
  // Some systems give no type for a file: then the name decides; a given type must be one of ours.
  if (type ? !(PHOTO_TYPES as readonly string[]).includes(type) : !byName) return { kind: 'type', name: file.name };
  if (file.size === 0) return { kind: 'empty' };
  if (file.size > PHOTO_MAX_BYTES) return { kind: 'size', sizeMb: (file.size / (1024 * 1024)).toFixed(1) };
  return null;
}
