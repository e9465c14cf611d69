/** The worker presets: `none` (one Synapse process), `small`, `recommended`. */
export const WORKER_PRESET_NAMES = ['none', 'small', 'recommended'] as const

/** A worker preset. */
export type WorkerPresetName = (typeof WORKER_PRESET_NAMES)[number]

/** Most processes one pool may have. */
export const MAX_POOL_SIZE = 16
