import type { AlertRule } from '../types.js';
import { batchStatusRule } from './batch-status.js';
import { firmwareRegressionRule } from './firmware-regression.js';
import { reserveRunwayRule, reserveShortfallRule } from './reserve.js';
import { spcOutlierRule } from './spc-outlier.js';

/** Every alert rule, in evaluation order. */
export const alertRules: readonly AlertRule[] = [batchStatusRule, firmwareRegressionRule, reserveShortfallRule, reserveRunwayRule, spcOutlierRule];
