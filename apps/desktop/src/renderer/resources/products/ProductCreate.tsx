import {
  ArrayInput,
  AutocompleteArrayInput,
  Create,
  Loading,
  ReferenceArrayInput,
  SelectInput,
  SimpleForm,
  SimpleFormIterator,
  TextInput,
  required,
} from 'react-admin';
import { moneyFormat, validateMoney } from './money.ts';
import { createProductBody } from './productTypes.ts';
import { statusChoices } from './ProductList.tsx';
import { useStoreCurrency } from './useStoreCurrency.ts';

const currencyFormat = /^[A-Za-z]{3}$/;
export const validateCurrency = [
  required(),
  (value: unknown) =>
    typeof value === 'string' && currencyFormat.test(value.trim())
      ? undefined
      : 'mcart.catalog.currency_invalid',
];

export const CategoriesInput = () => (
  <ReferenceArrayInput
    source="categoryIds"
    reference="categories"
    perPage={200}
    sort={{ field: 'name', order: 'ASC' }}
  >
    <AutocompleteArrayInput optionText="name" label="mcart.catalog.categories" fullWidth />
  </ReferenceArrayInput>
);

/** POST /api/admin/products: the product and at least one variant; prices typed in major units. */
export function ProductCreate() {
  const { currency, loaded } = useStoreCurrency();
  if (!loaded) return <Loading />;
  return (
    <Create transform={createProductBody} redirect="edit">
      <SimpleForm
        defaultValues={{
          status: 'draft',
          variants: [{ sku: '', price: { amount: '', currency: currency ?? '' } }],
        }}
      >
        <TextInput source="title" label="mcart.catalog.title" validate={required()} fullWidth />
        <SelectInput
          source="status"
          label="mcart.catalog.status_label"
          choices={statusChoices}
          validate={required()}
        />
        <TextInput source="description" label="mcart.catalog.description" multiline minRows={3} fullWidth />
        <CategoriesInput />
        <ArrayInput source="variants" label="mcart.catalog.variants">
          <SimpleFormIterator inline disableReordering>
            <TextInput source="sku" label="mcart.catalog.sku" validate={required()} />
            <TextInput source="title" label="mcart.catalog.variant_title" />
            <TextInput
              source="price.amount"
              label="mcart.catalog.price"
              format={moneyFormat}
              validate={validateMoney(true)}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
            />
            {/* A fixed width that the inline row does not squeeze (it grew to nothing beside three full-width
                inputs); read-only once the store's currency is known, since the server takes no other. */}
            <TextInput
              source="price.currency"
              label="mcart.catalog.currency"
              defaultValue={currency ?? ''}
              validate={validateCurrency}
              fullWidth={false}
              readOnly={currency !== undefined}
              sx={{ flex: '0 0 7rem', width: '7rem' }}
            />
          </SimpleFormIterator>
        </ArrayInput>
      </SimpleForm>
    </Create>
  );
}
