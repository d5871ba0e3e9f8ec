/** Canonical enumerations (CONTRACT §3). Sources' own values are mapped onto these and kept raw beside them. */
export const stages = ['intake', 'qualification', 'triage', 'decision', 'execution', 'closed', 'cancelled'] as const;
export const returnReasons = [
  'defective', 'wrong_item', 'shipping_damage', 'wrong_quantity_received', 'ordered_wrong_quantity',
  'duplicate_order', 'not_as_described', 'changed_mind', 'other',
] as const;
export const channels = ['direct', 'dealer', 'distributor', 'marketplace'] as const;
export const inspectionOutcomes = [
  'no_trouble_found', 'trouble_found_repair', 'trouble_found_replace', 'customer_damage', 'not_inspected',
] as const;
export const resolutions = [
  'remote_fix', 'education', 'firmware_update', 'repair', 'replace', 'advance_replacement', 'refund', 'credit',
  'restock', 'scrap', 'return_to_customer', 'rejected',
] as const;
export const warrantyStatuses = ['doa', 'in_warranty', 'out_of_warranty', 'unknown'] as const;
export const dispositionClasses = ['no_return', 'return_modular', 'return_escalation'] as const;
export const firmwareChannels = ['beta', 'stable'] as const;
export const restartOnReplacement = ['doa_only', 'never', 'always'] as const;
/** Reasons that are commercial, not quality failures: they never count toward defect rates. */
export const nonQualityReasons = ['wrong_item', 'shipping_damage', 'wrong_quantity_received', 'ordered_wrong_quantity', 'duplicate_order', 'changed_mind'] as const;
/** API key roles (CONTRACT §5): viewer (quality data), finance (adds money), product (adds the gate), ingest (intake and uploads only), admin (all, plus keys). */
export const apiRoles = ['viewer', 'finance', 'product', 'ingest', 'admin'] as const;
