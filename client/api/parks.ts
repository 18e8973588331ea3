/** Districts and parks on the map (`/api/districts`, `/api/parks`), and recognizing a new park. */
import type { CreateParkBody, CreateParkResult } from '../../shared/contract/subsidies.ts';
import type { DistrictCollection, DistrictProperties, ParkCollection, ParkDetail as ParkDetailSchema, ParkFigures, ParkListProperties } from '../../shared/contract/map.ts';
import type { AreaCollection, AreaFeature, AreaGeometry } from './geojson.ts';
import { getJson, requestJson } from './http.ts';

export type DistrictProps = DistrictProperties;
export type ParkProps = ParkListProperties;
export type { ParkFigures };
export type ParkDetailProps = ParkDetailSchema['properties'];
export type Districts = AreaCollection<DistrictCollection>;
export type Parks = AreaCollection<ParkCollection>;
export type ParkDetail = AreaFeature<ParkDetailSchema>;

/** `POST /api/parks` as the recognition form sends it (JSON, not a raw GeoJSON file). */
export type RecognizeParkBody = Required<Pick<CreateParkBody, 'code' | 'nameZh' | 'nameEn' | 'districtCode' | 'sectors' | 'recognizedYear'>> &
  Pick<CreateParkBody, 'note'> & { boundary: AreaGeometry };
export type RecognizeParkResult = Omit<CreateParkResult, 'park'> & { park: ParkDetail };

export const parksApi = {
  districts: (signal?: AbortSignal) => getJson<Districts>('/api/districts', signal),
  /** The IAB parks; with `zones`, also the generated sample zones (tier `zone`). */
  list: (signal?: AbortSignal, opts: { zones?: boolean } = {}) => getJson<Parks>(opts.zones ? '/api/parks?zones=true' : '/api/parks', signal),
  get: (id: number, signal?: AbortSignal) => getJson<ParkDetail>(`/api/parks/${encodeURIComponent(id)}`, signal),
  recognize: (body: RecognizeParkBody, signal?: AbortSignal) => requestJson<RecognizeParkResult>('POST', '/api/parks', { signal, body }),
};
