import type { editorZh } from './editor.zh.ts';

/** English for the editor screens: same keys as `editor.zh.ts` or it doesn't compile. */
export const editorEn: Record<keyof typeof editorZh, string> = {
  'editor.title': 'editor',
};
