import { useQuery } from '@tanstack/react-query';
import { api, call } from '../lib/api.js';

// The 地域 picker of a case (registration and the case room): a 乡镇（街道） of the office's area, then
// optionally one of its 村（社区） (loaded for the town chosen). Native selects: tap-sized on a phone.

export interface PlaceOption {
  code: string;
  name: string;
}

/** The <option>s of a list of places (乡镇 or 村), by code: the 地域 selects and filters share them. */
export function PlaceOptions({ places }: { places: readonly PlaceOption[] }) {
  return (
    <>
      {places.map((x) => (
        <option key={x.code} value={x.code}>
          {x.name}
        </option>
      ))}
    </>
  );
}

export function TownVillageFields({
  towns,
  town,
  village,
  onChange,
  labels,
  testId,
  named = false,
}: {
  towns: readonly PlaceOption[];
  town: string;
  village: string;
  onChange: (town: string, village: string) => void;
  labels: { town: string; village: string; noTown: string; wholeTown: string };
  /** data-testid prefix: `${testId}-town`, `${testId}-village`. */
  testId: string;
  /** Give the selects form names (town, village). */
  named?: boolean;
}) {
  const villages = useQuery({
    queryKey: ['area-villages', town],
    queryFn: async () => (await call(api.area.villages.$get({ query: { town } }))).villages,
    enabled: town !== '',
    staleTime: 60_000,
  });
  return (
    <>
      <label className="field">
        <span>{labels.town}</span>
        <select value={town} onChange={(e) => onChange(e.target.value, '')} name={named ? 'town' : undefined} data-testid={`${testId}-town`}>
          <option value="">{labels.noTown}</option>
          <PlaceOptions places={towns} />
        </select>
      </label>
      <label className="field">
        <span>{labels.village}</span>
        <select value={village} onChange={(e) => onChange(town, e.target.value)} disabled={!town} name={named ? 'village' : undefined} data-testid={`${testId}-village`}>
          <option value="">{labels.wholeTown}</option>
          <PlaceOptions places={villages.data ?? []} />
        </select>
      </label>
    </>
  );
}
