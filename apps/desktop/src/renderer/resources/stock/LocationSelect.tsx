import { MenuItem, TextField } from '@mui/material';
import { useGetList, useTranslate } from 'react-admin';

export interface StockLocationRecord {
  id: string;
  code: string;
  name: string;
  isDefault: boolean;
  active: boolean;
}

/** Locations for the stock screens: the active ones, default first (the server's order). */
export function useStockLocations() {
  const { data, isPending } = useGetList<StockLocationRecord>('stock-locations', {
    pagination: { page: 1, perPage: 500 },
  });
  const active = (data ?? []).filter((location) => location.active);
  return { locations: active, defaultId: active.find((location) => location.isDefault)?.id, isPending };
}

interface LocationSelectProps {
  label: string;
  value: string;
  onChange(id: string): void;
  locations: StockLocationRecord[];
  error?: string | undefined;
  disabled?: boolean;
  testId: string;
}

export function LocationSelect({
  label,
  value,
  onChange,
  locations,
  error,
  disabled,
  testId,
}: LocationSelectProps) {
  const translate = useTranslate();
  // Two locations may share a name (the server allows it): their codes tell them apart.
  const named = (location: StockLocationRecord) =>
    locations.filter((other) => other.name === location.name).length > 1
      ? `${location.name} · ${location.code}`
      : location.name;
  return (
    <TextField
      select
      label={label}
      value={locations.some((location) => location.id === value) ? value : ''}
      onChange={(event) => onChange(event.target.value)}
      error={Boolean(error)}
      helperText={error}
      disabled={disabled}
      sx={{ minWidth: 220 }}
      slotProps={{ select: { SelectDisplayProps: { 'data-testid': testId } as object } }}
    >
      {locations.map((location) => (
        <MenuItem key={location.id} value={location.id}>
          {location.isDefault
            ? translate('mcart.stock.default_location', { name: named(location) })
            : named(location)}
        </MenuItem>
      ))}
    </TextField>
  );
}
