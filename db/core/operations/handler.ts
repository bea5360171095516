import type { OperationAnswer, OperationName, Session, ValidOperationInput } from '../../contract/index.ts';
import type { Core } from '../core.ts';

/** How the core answers one operation: its input arrives validated, its session stamped by the host. */
export type OperationHandler<N extends OperationName> = (input: ValidOperationInput<N>, session: Session, core: Core) => Promise<OperationAnswer<N>> | OperationAnswer<N>;
