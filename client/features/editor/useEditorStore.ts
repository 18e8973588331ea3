import { useCallback, useState } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { editorReducer, initialEditorState, type EditorAction, type EditorState } from './editorMachine.ts';

export interface EditorStore {
  state: EditorState;
  dispatch: (action: EditorAction) => void;
  /** The state right now, for event handlers that run between renders (terra-draw, keys, map clicks). */
  getState: () => EditorState;
  subscribe: (listener: (state: EditorState, previous: EditorState) => void) => () => void;
}

/** One editor's state machine (./editorMachine.ts) in a small store, created with the page and dropped with it. */
export function useEditorStore(init: { park: number | null; plot: number | null }): EditorStore {
  const [store] = useState(() => createStore<EditorState>(() => initialEditorState(init)));
  const state = useStore(store);
  const dispatch = useCallback((action: EditorAction) => store.setState((s) => editorReducer(s, action), true), [store]);
  return { state, dispatch, getState: store.getState, subscribe: store.subscribe };
}
