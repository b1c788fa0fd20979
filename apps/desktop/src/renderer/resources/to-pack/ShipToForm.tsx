import { Alert, AlertTitle, Box, TextField, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import {
  ADDRESS_FIELDS,
  regionCodeExample,
  type AddressDraft,
  type AddressErrors,
  type AddressField,
} from './shipTo.ts';

/** Why the form is showing a refusal: the order's own address, or the one the packer wrote. */
export interface ShipToRefusal {
  of: 'order' | 'label';
  message: string;
}

const WIDE: ReadonlySet<AddressField> = new Set(['name', 'company', 'line1', 'line2']);
const REQUIRED: ReadonlySet<AddressField> = new Set(['name', 'line1', 'city', 'postalCode', 'country']);

/**
 * The address printed on this parcel's label instead of the order's. The country is the order's and
 * cannot change (the server refuses another: the order's rates, taxes and customs were for it).
 */
export function ShipToForm({
  draft,
  errors,
  refusal,
  disabled,
  onChange,
}: {
  draft: AddressDraft;
  errors: AddressErrors;
  refusal: ShipToRefusal | null;
  disabled: boolean;
  onChange: (field: AddressField, value: string) => void;
}) {
  const translate = useTranslate();
  const example = regionCodeExample(draft.country);
  const help = (field: AddressField): string | undefined => {
    if (errors[field]) return errors[field];
    if (REQUIRED.has(field) && draft[field].trim() === '') return translate('mcart.packing.ship_to.required');
    if (field === 'country') return translate('mcart.packing.ship_to.country_locked');
    if (field === 'region' && example) return translate('mcart.packing.ship_to.region_code', { example });
    return undefined;
  };
  return (
    <Box data-testid="ship-to-form">
      <Typography variant="subtitle1">{translate('mcart.packing.ship_to.title')}</Typography>
      <Typography variant="body2" color="text.secondary" gutterBottom>
        {translate('mcart.packing.ship_to.help')}
      </Typography>
      {refusal && (
        <Alert severity="error" data-testid="ship-to-refusal" sx={{ mb: 2 }}>
          <AlertTitle>
            {translate(
              refusal.of === 'order'
                ? 'mcart.packing.ship_to.order_refused'
                : 'mcart.packing.ship_to.refused',
            )}
          </AlertTitle>
          {refusal.message}
        </Alert>
      )}
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: 'repeat(4, 1fr)' }, gap: 2 }}>
        {ADDRESS_FIELDS.map((field) => {
          const locked = field === 'country';
          const blank = REQUIRED.has(field) && draft[field].trim() === '';
          return (
            <TextField
              key={field}
              size="small"
              label={translate(`mcart.packing.ship_to.fields.${field}`)}
              value={draft[field]}
              onChange={(event) => onChange(field, event.target.value)}
              error={errors[field] !== undefined || blank}
              helperText={help(field)}
              required={REQUIRED.has(field) && !locked}
              disabled={disabled}
              data-testid={`ship-to-${field}`}
              slotProps={{ input: { readOnly: locked }, htmlInput: { autoComplete: 'off' } }}
              sx={{ gridColumn: WIDE.has(field) ? { sm: 'span 2' } : undefined }}
            />
          );
        })}
      </Box>
    </Box>
  );
}
