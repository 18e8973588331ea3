/**
 * `/bureau` — the bureau's allocation screen. Readers of
 * allocations (the bureau, the industry bureau, district officers for their district) see the
 * map, lists and quota; land officers and administrators also allocate, approve, cancel and
 * set the year's quota. The screen itself lives in ../../bureau/.
 */
import { AccessGate } from '../../ui/AccessGate.tsx';
import { BureauWorkspace } from './BureauWorkspace.tsx';

export default function AllocationsPage() {
  return (
    <AccessGate permission="allocations.read">
      <BureauWorkspace />
    </AccessGate>
  );
}
