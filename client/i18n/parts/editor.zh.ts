/** zh-CN strings for the editor screens (merged into `../zh.ts`; keys prefixed to avoid clashes). */
export const editorZh = {
  'editor.title': 'editor',
} as const;
