import { commandTypes, type CommandRequest } from '../../contract/index.ts';
import { WaybillError } from '../../contract/waybillError.ts';
import { integerArgument, jsonArgument } from '../jsonArgument.ts';
import type { Subcommand } from '../subcommand.ts';

export const command: Subcommand = {
  name: 'command',
  usage: "command TYPE --payload '<json>'|@FILE [--id ID] [--expected-version N]",
  summary: `record one command (${commandTypes.join(', ')})`,
  options: {
    payload: { type: 'string' },
    id: { type: 'string' },
    'expected-version': { type: 'string' },
    'correlation-id': { type: 'string' },
    'causation-id': { type: 'string' },
  },
  readsOnly: false,
  async run({ values, positionals, out, withCore }) {
    const type = positionals[0];
    if (type === undefined) throw new WaybillError('VALIDATION', `Name the command: one of ${commandTypes.join(', ')}.`, { field: 'type' });
    if (typeof values.payload !== 'string') throw new WaybillError('VALIDATION', "--payload is required: the command's fields as JSON, or @FILE.", { field: 'payload' });
    const request = {
      type,
      payload: jsonArgument(values.payload, 'payload'),
      ...(typeof values.id === 'string' ? { commandId: values.id } : {}),
      ...(values['expected-version'] !== undefined ? { expectedVersion: integerArgument(values['expected-version'], 'expected-version') } : {}),
      ...(typeof values['correlation-id'] === 'string' ? { correlationId: values['correlation-id'] } : {}),
      ...(typeof values['causation-id'] === 'string' ? { causationId: values['causation-id'] } : {}),
    } as CommandRequest;
    return withCore(async (core) => {
      const answer = await core.call('command', request);
      return out.print(answer);
    });
  },
};
