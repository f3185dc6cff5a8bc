import type {Reporter} from './ux/output.js'

/**
 * Where services report progress: the command passes its Reporter (stderr), tests a recorder. The one
 * convention: an option named `progress` is this object; every callback is on<Event> (onNote for a
 * message to show, onProgress, onStepProgress, onLockWait…).
 */
export type Progress = Pick<Reporter, 'step' | 'info' | 'warn' | 'success'>

export const silentProgress: Progress = {step() {}, info() {}, warn() {}, success() {}}
