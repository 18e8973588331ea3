/**
 * The camera. Two writers, tagged so map ↔ state sync cannot echo (as maputnik's
 * MapMaplibreGl does): the map reports where the user moved it (`origin: 'map'`), the app asks the
 * map to go somewhere (`origin: 'app'`: URL restore, "whole city", "zoom to park"). The map only
 * obeys `'app'` changes; the URL writer only reads.
 */
import { create } from 'zustand';
import type { BBox } from '../../shared/domain.ts';

/** lon/lat in WGS84 degrees, zoom as maplibre counts it. */
export interface Camera {
  lng: number;
  lat: number;
  zoom: number;
}

export type CameraOrigin = 'map' | 'app';

/** A request to frame a box; `seq` makes two requests for the same box distinct. */
export interface FitRequest {
  bbox: BBox;
  maxZoom?: number;
  seq: number;
}

interface ViewState {
  /** null until the URL is read or the map reports its first position. */
  camera: Camera | null;
  origin: CameraOrigin;
  fit: FitRequest | null;
  zoom: number;
}

export const useViewStore = create<ViewState>(() => ({ camera: null, origin: 'app', fit: null, zoom: 0 }));

/** The map moved (user gesture or finished animation): record it, don't send it back. */
export function cameraMovedByMap(camera: Camera): void {
  useViewStore.setState({ camera, origin: 'map', zoom: camera.zoom });
}

/** Ask the map to jump to a camera. */
export function moveCamera(camera: Camera): void {
  useViewStore.setState({ camera, origin: 'app' });
}

let fitSeq = 0;
/** Ask the map to frame a bounding box. */
export function fitBounds(bbox: BBox, maxZoom?: number): void {
  useViewStore.setState({ fit: { bbox, maxZoom, seq: ++fitSeq } });
}
