import { event, streamIds } from '../events.ts';
import { accept, reject, type Decider } from './decision.ts';

/**
 * Records what a person decided about a sync conflict. The write side cannot see read models, so
 * it only keeps a conflict from being closed twice; the conflicts read model ignores a resolution
 * of a conflict it does not know.
 */
export const resolveConflict: Decider<'ResolveConflict'> = (command, view) => {
  if (view.conflictResolved(command.conflictId)) {
    return reject('RULE', `Conflict ${command.conflictId} is already resolved.`, { field: 'conflictId', rule: 'conflict_resolved' });
  }
  if (command.outcome === 'corrected' && !command.note) {
    return reject('VALIDATION', 'Say what was corrected: a note is required when the outcome is corrected.', { field: 'note', rule: 'note_required' });
  }
  return accept(event(streamIds.conflict(command.conflictId), 'ConflictResolved', { conflictId: command.conflictId, outcome: command.outcome, note: command.note ?? null, at: view.now }));
};
