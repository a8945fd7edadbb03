/** (being written) */
import type { PolicyFormat } from './types';

export const vapFormat: PolicyFormat = {
  name: 'vap',
  reads: () => false,
  load: () => ({ rules: [], problems: [] }),
};
