import type {Reporter} from './ux/output.js'

/** Where services report progress: the command passes its Reporter (stderr), tests a recorder. */
export type Progress = Pick<Reporter, 'step' | 'info' | 'warn' | 'success'>

export const silentProgress: Progress = {step() {}, info() {}, warn() {}, success() {}}
