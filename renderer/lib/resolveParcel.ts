import type { ParcelSummaryRow, QueryOptions, WaybillTransport } from '../../db/contract/index.ts';

/** Finds a parcel by the tracking code on its label; the message is ready to show by the field. */
export async function resolveParcel(
  api: WaybillTransport,
  trackingCode: string,
  options: QueryOptions | undefined,
): Promise<{ parcel: ParcelSummaryRow } | { error: string }> {
  const code = trackingCode.trim().toUpperCase();
  if (code === '') return { error: 'Scan or type the tracking code.' };
  const answer = await api.call('parcel.summary', { params: { trackingCode: code }, ...(options ? { options } : {}) });
  if (!answer.ok) return { error: answer.error.message };
  if (!answer.data) return { error: `No parcel has tracking code ${code}.` };
  return { parcel: answer.data };
}
