import {
  BooleanField,
  BooleanInput,
  Create,
  Datagrid,
  DateField,
  DateTimeInput,
  Edit,
  FunctionField,
  List,
  NullableBooleanInput,
  SearchInput,
  SimpleForm,
  TextField,
  TextInput,
  regex,
  required,
} from 'react-admin';
import { moneyFormat, toMinor, validateMoney } from '../products/money.ts';
import {
  dateTimeToApi,
  discountValueToApi,
  displayDiscount,
  optionalCount,
  validateEndsAfterStart,
} from '../sales/discount.ts';
import { DiscountInputs } from '../sales/DiscountValueInput.tsx';
import { StaleRecordBanner } from '../../live/StaleRecordBanner.tsx';
import { FocusServerError } from '../../forms/FocusServerError.tsx';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <NullableBooleanInput key="active" source="active" label="mcart.pricing.active" alwaysOn />,
];

interface CodeRecord {
  discountType: string;
  discountValue: number;
  usageCount: number;
  usageLimit: number | null;
}

export function DiscountCodeList() {
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="code" label="mcart.pricing.code" />
        <FunctionField
          label="mcart.pricing.discount"
          render={(record: CodeRecord) => displayDiscount(record.discountType, record.discountValue)}
        />
        <FunctionField
          source="usageCount"
          label="mcart.pricing.usage"
          render={(record: CodeRecord) => `${record.usageCount} / ${record.usageLimit ?? '∞'}`}
        />
        <BooleanField source="active" label="mcart.pricing.active" sortable={false} />
        <DateField
          source="startsAt"
          label="mcart.pricing.starts_at"
          showTime
          emptyText="—"
          sortable={false}
        />
        <DateField source="endsAt" label="mcart.pricing.ends_at" showTime emptyText="—" />
      </Datagrid>
    </List>
  );
}

export function discountCodeBody(data: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if ('code' in data) body.code = typeof data.code === 'string' ? data.code.trim() : data.code;
  if ('description' in data) body.description = data.description ?? '';
  if ('discountType' in data) body.discountType = data.discountType;
  if ('discountValue' in data) body.discountValue = discountValueToApi(data.discountType, data.discountValue);
  if ('minSubtotal' in data)
    body.minSubtotal = data.minSubtotal === '' || data.minSubtotal == null ? 0 : toMinor(data.minSubtotal);
  if ('usageLimit' in data) body.usageLimit = optionalCount(data.usageLimit);
  if ('perCustomerLimit' in data) body.perCustomerLimit = optionalCount(data.perCustomerLimit);
  if ('startsAt' in data) body.startsAt = dateTimeToApi(data.startsAt);
  if ('endsAt' in data) body.endsAt = dateTimeToApi(data.endsAt);
  if ('active' in data) body.active = Boolean(data.active);
  return body;
}

const validateCount = (value: unknown) => {
  const count = optionalCount(value);
  return count === undefined || (count !== null && count < 1) ? 'mcart.pricing.count_invalid' : undefined;
};
const plain = (value: unknown) => (value === undefined || value === null ? '' : String(value));

function CodeForm() {
  return (
    <SimpleForm defaultValues={{ discountType: 'percent', active: true }}>
      <FocusServerError />
      <TextInput
        source="code"
        label="mcart.pricing.code"
        validate={[required(), regex(/^[A-Za-z0-9_-]{3,64}$/, 'mcart.pricing.code_invalid')]}
      />
      <TextInput source="description" label="mcart.pricing.description" fullWidth />
      <DiscountInputs />
      <TextInput
        source="minSubtotal"
        label="mcart.pricing.min_subtotal"
        format={moneyFormat}
        validate={validateMoney(false)}
        slotProps={{ htmlInput: { inputMode: 'decimal' } }}
      />
      <TextInput
        source="usageLimit"
        label="mcart.pricing.usage_limit"
        helperText="mcart.pricing.unlimited_help"
        format={plain}
        validate={validateCount}
      />
      <TextInput
        source="perCustomerLimit"
        label="mcart.pricing.per_customer_limit"
        helperText="mcart.pricing.unlimited_help"
        format={plain}
        validate={validateCount}
      />
      <DateTimeInput source="startsAt" label="mcart.pricing.starts_at" />
      <DateTimeInput
        source="endsAt"
        label="mcart.pricing.ends_at"
        helperText="mcart.pricing.ends_at_help"
        validate={validateEndsAfterStart}
      />
      <BooleanInput source="active" label="mcart.pricing.active" />
    </SimpleForm>
  );
}

export function DiscountCodeCreate() {
  return (
    <Create transform={discountCodeBody} redirect="list">
      <CodeForm />
    </Create>
  );
}

export function DiscountCodeEdit() {
  return (
    <Edit transform={discountCodeBody} mutationMode="pessimistic">
      <StaleRecordBanner />
      <CodeForm />
    </Edit>
  );
}
