// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DepotBoardRow } from '../../../db/contract/index.ts';
import { fakeApiForTests } from '../../api/fakeApiForTests.ts';
import { renderWithConsole } from '../../testing/renderWithConsole.tsx';
import { RegisterParcelForm } from './RegisterParcelForm.tsx';

const depots = [{ depotId: 'd-north', name: 'North Hub', region: 'north', counts: {}, total: 0 } as DepotBoardRow];

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function fillValidParcel() {
  fill('Tracking code', 'wb123456');
  fill('Weight (kg)', '2.5');
  fill('Recipient', 'Ada Lovelace');
  fill('Street', '12 St James Square');
  fill('City', 'London');
  fill('Postcode', 'SW1Y 4JH');
}

afterEach(cleanup);

describe('the register-parcel form', () => {
  it('shows a shape error by its field and sends nothing', async () => {
    const api = fakeApiForTests();
    renderWithConsole(<RegisterParcelForm originDepotId="d-north" depots={depots} />, api);
    fillValidParcel();
    fill('Postcode', '!!');
    fireEvent.click(screen.getByRole('button', { name: 'Register parcel' }));
    expect(await screen.findByTestId('rp-postcode-error')).toHaveProperty('textContent', 'Must be 2–12 letters, digits, spaces or dashes');
    expect(screen.getByLabelText('Postcode').getAttribute('aria-invalid')).toBe('true');
    expect(api.calls.filter((call) => call.kind === 'command')).toEqual([]);
  });

  it('puts a rejection from the core next to the field it names (a path from the request’s root), keeping what was typed', async () => {
    const api = fakeApiForTests();
    api.answerCommand(() => ({ ok: false, error: { code: 'CONFLICT', message: 'Tracking code WB123456 is already used by parcel P-9.', field: 'payload.trackingCode' } }));
    renderWithConsole(<RegisterParcelForm originDepotId="d-north" depots={depots} />, api);
    fillValidParcel();
    fireEvent.click(screen.getByRole('button', { name: 'Register parcel' }));
    expect((await screen.findByTestId('rp-trackingCode-error')).textContent).toBe('Tracking code WB123456 is already used by parcel P-9.');
    expect((screen.getByLabelText('Recipient') as HTMLInputElement).value).toBe('Ada Lovelace');
  });

  it('puts the core’s validation of a nested field next to it, without the path the label already shows', async () => {
    const api = fakeApiForTests();
    api.answerCommand(() => ({ ok: false, error: { code: 'VALIDATION', message: 'payload.recipient.name must not be empty', field: 'payload.recipient.name' } }));
    renderWithConsole(<RegisterParcelForm originDepotId="d-north" depots={depots} />, api);
    fillValidParcel();
    fireEvent.click(screen.getByRole('button', { name: 'Register parcel' }));
    expect((await screen.findByTestId('rp-name-error')).textContent).toBe('Must not be empty');
    expect(screen.getByLabelText('Recipient').getAttribute('aria-invalid')).toBe('true');
  });

  it('shows a rejection naming no field of the form as the form’s error, in full', async () => {
    const api = fakeApiForTests();
    api.answerCommand(() => ({ ok: false, error: { code: 'VALIDATION', message: 'type must be one of RegisterDepot, RegisterParcel.', field: 'type' } }));
    renderWithConsole(<RegisterParcelForm originDepotId="d-north" depots={depots} />, api);
    fillValidParcel();
    fireEvent.click(screen.getByRole('button', { name: 'Register parcel' }));
    expect((await screen.findByRole('alert')).textContent).toContain('type must be one of RegisterDepot, RegisterParcel.');
  });

  it('sends the command with the depot as origin, confirms, clears, and remembers the position for later reads', async () => {
    const api = fakeApiForTests();
    api.answerCommand(() => ({ ok: true, commandId: 'c', position: 41, events: [], duplicate: false }));
    const { stores } = renderWithConsole(<RegisterParcelForm originDepotId="d-north" depots={depots} />, api);
    fillValidParcel();
    fireEvent.click(screen.getByRole('button', { name: 'Register parcel' }));
    await screen.findByText(/Registered WB123456/);
    const sent = api.calls.find((call) => call.kind === 'command')!;
    expect(sent.params).toMatchObject({ trackingCode: 'WB123456', originDepotId: 'd-north', destinationDepotId: 'd-north', weightKg: 2.5 });
    await waitFor(() => expect((screen.getByLabelText('Tracking code') as HTMLInputElement).value).toBe(''));
    expect(stores.live.readOptions()).toMatchObject({ minPosition: 41 });
  });
});
