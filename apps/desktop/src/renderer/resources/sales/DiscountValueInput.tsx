import { useFormContext } from 'react-hook-form';
import { FormDataConsumer, SelectInput, TextInput, required } from 'react-admin';
import { moneyFormat } from '../products/money.ts';
import { DISCOUNT_TYPES, validateDiscountValue } from './discount.ts';

const typeChoices = DISCOUNT_TYPES.map((id) => ({ id, name: `mcart.pricing.type.${id}` }));
const plain = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/**
 * Discount type and value: a whole percent, or an amount typed in major units. Another type empties the
 * value: 15 (%) kept as an amount would be 0.15 off, an easy mistake to save.
 */
export function DiscountInputs() {
  const { setValue } = useFormContext();
  return (
    <>
      <SelectInput
        source="discountType"
        label="mcart.pricing.type_label"
        choices={typeChoices}
        validate={required()}
        onChange={() => setValue('discountValue', '', { shouldDirty: true })}
      />
      <FormDataConsumer<{ discountType?: string }>>
        {({ formData }) => (
          <TextInput
            source="discountValue"
            label={
              formData.discountType === 'fixed' ? 'mcart.pricing.amount_off' : 'mcart.pricing.percent_off'
            }
            format={formData.discountType === 'fixed' ? moneyFormat : plain}
            validate={validateDiscountValue}
            slotProps={{ htmlInput: { inputMode: 'decimal' } }}
          />
        )}
      </FormDataConsumer>
    </>
  );
}
