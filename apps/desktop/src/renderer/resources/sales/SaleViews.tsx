import {
  AutocompleteArrayInput,
  Create,
  Datagrid,
  DateField,
  DateTimeInput,
  Edit,
  FunctionField,
  List,
  ReferenceArrayInput,
  SearchInput,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  required,
  useTranslate,
} from 'react-admin';
import { dateTimeToApi, discountValueToApi, displayDiscount, validateEndsAfterStart } from './discount.ts';
import { DiscountInputs } from './DiscountValueInput.tsx';
import { StaleRecordBanner } from '../../live/StaleRecordBanner.tsx';
import { FocusServerError } from '../../forms/FocusServerError.tsx';

const STATES = ['scheduled', 'running', 'ended'] as const;
const stateChoices = STATES.map((id) => ({ id, name: `mcart.pricing.state.${id}` }));

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput
    key="state"
    source="state"
    choices={stateChoices}
    label="mcart.pricing.state_label"
    alwaysOn
  />,
];

interface SaleRecord {
  discountType: string;
  discountValue: number;
  state: string;
}

export function SaleList() {
  const translate = useTranslate();
  return (
    <List filters={filters} sort={{ field: 'startsAt', order: 'DESC' }} perPage={25} exporter={false}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="name" label="mcart.pricing.name" />
        <FunctionField
          label="mcart.pricing.state_label"
          render={(record: SaleRecord) => translate(`mcart.pricing.state.${record.state}`)}
        />
        <FunctionField
          label="mcart.pricing.discount"
          render={(record: SaleRecord) => displayDiscount(record.discountType, record.discountValue)}
        />
        <DateField source="startsAt" label="mcart.pricing.starts_at" showTime />
        <DateField source="endsAt" label="mcart.pricing.ends_at" showTime emptyText="—" />
      </Datagrid>
    </List>
  );
}

/** The request body from the form: typed values converted, empty optional fields left out or null. */
export function saleBody(data: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if ('name' in data) body.name = data.name;
  if ('discountType' in data) body.discountType = data.discountType;
  if ('discountValue' in data) body.discountValue = discountValueToApi(data.discountType, data.discountValue);
  if ('startsAt' in data) body.startsAt = dateTimeToApi(data.startsAt);
  if ('endsAt' in data) body.endsAt = dateTimeToApi(data.endsAt);
  for (const key of ['productIds', 'variantIds', 'categoryIds'] as const) {
    if (key in data) body[key] = Array.isArray(data[key]) ? data[key] : [];
  }
  return body;
}

const idsFormat = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
const idsParse = (value: string) =>
  value
    .split(/[\s,]+/)
    .map((id) => id.trim())
    .filter((id) => id !== '');

function SaleForm() {
  return (
    <SimpleForm>
      <FocusServerError />
      <TextInput source="name" label="mcart.pricing.name" validate={required()} fullWidth />
      <DiscountInputs />
      <DateTimeInput source="startsAt" label="mcart.pricing.starts_at" validate={required()} />
      <DateTimeInput
        source="endsAt"
        label="mcart.pricing.ends_at"
        helperText="mcart.pricing.ends_at_help"
        validate={validateEndsAfterStart}
      />
      {/* An explicit sort: react-admin's default (`id`) is not one the products list sorts by (400). */}
      <ReferenceArrayInput
        source="productIds"
        reference="products"
        perPage={50}
        sort={{ field: 'title', order: 'ASC' }}
      >
        <AutocompleteArrayInput optionText="title" label="mcart.pricing.products" fullWidth />
      </ReferenceArrayInput>
      <ReferenceArrayInput
        source="categoryIds"
        reference="categories"
        perPage={200}
        sort={{ field: 'name', order: 'ASC' }}
      >
        <AutocompleteArrayInput optionText="name" label="mcart.pricing.categories" fullWidth />
      </ReferenceArrayInput>
      <TextInput
        source="variantIds"
        label="mcart.pricing.variant_ids"
        helperText="mcart.pricing.variant_ids_help"
        format={idsFormat}
        parse={idsParse}
        fullWidth
      />
    </SimpleForm>
  );
}

export function SaleCreate() {
  return (
    <Create transform={saleBody} redirect="list">
      <SaleForm />
    </Create>
  );
}

export function SaleEdit() {
  return (
    <Edit transform={saleBody} mutationMode="pessimistic">
      <StaleRecordBanner />
      <SaleForm />
    </Edit>
  );
}
