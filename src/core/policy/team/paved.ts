/** (being written) */
import type { PolicyFormat } from './types';

export const pavedRoadFormat: PolicyFormat = {
  name: 'paved',
  reads: () => false,
  load: () => ({ rules: [], problems: [] }),
};
