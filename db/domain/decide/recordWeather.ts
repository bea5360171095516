import { event, streamIds } from '../events.ts';
import { accept, type Decider } from './decision.ts';

export const recordWeather: Decider<'RecordWeather'> = (command, view) =>
  accept(event(streamIds.region(command.region), 'WeatherRecorded', { region: command.region, condition: command.condition, at: command.at ?? view.now }));
