import {
  BooleanField,
  BooleanInput,
  Create,
  Datagrid,
  Edit,
  FormDataConsumer,
  FunctionField,
  List,
  Loading,
  NullableBooleanInput,
  NumberField,
  NumberInput,
  SaveButton,
  SearchInput,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  maxLength,
  minValue,
  regex,
  required,
  useGetList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { moneyFormat, validateMoney } from '../products/money.ts';
import { validateCurrency } from '../products/ProductCreate.tsx';
import { StaleRecordBanner } from '../../live/StaleRecordBanner.tsx';
import {
  SHIPPING_KINDS,
  displayRate,
  shippingMethodBody,
  type ShippingMethodRecord,
} from './shippingMethod.ts';

const kindChoices = SHIPPING_KINDS.map((id) => ({ id, name: `mcart.shipping_methods.kind.${id}` }));

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <NullableBooleanInput key="active" source="active" label="mcart.shipping_methods.active" alwaysOn />,
  <SelectInput
    key="kind"
    source="kind"
    label="mcart.shipping_methods.kind_label"
    choices={kindChoices}
    alwaysOn
  />,
];

export function ShippingMethodList() {
  const translate = useTranslate();
  const freeFrom = (amount: string, threshold: string) =>
    translate('mcart.shipping_methods.rate_free_over', { amount, threshold });
  return (
    <List filters={filters} sort={{ field: 'sort', order: 'ASC' }} perPage={25} exporter={false}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="code" label="mcart.shipping_methods.code" />
        <TextField source="name" label="mcart.shipping_methods.name" />
        <FunctionField
          label="mcart.shipping_methods.kind_label"
          render={(record: ShippingMethodRecord) => translate(`mcart.shipping_methods.kind.${record.kind}`)}
        />
        <FunctionField
          source="amount"
          label="mcart.shipping_methods.amount"
          render={(record: ShippingMethodRecord) => displayRate(record, freeFrom)}
        />
        <BooleanField source="isDefault" label="mcart.shipping_methods.is_default" sortable={false} />
        <BooleanField source="active" label="mcart.shipping_methods.active" sortable={false} />
        <NumberField source="sort" label="mcart.shipping_methods.sort" />
      </Datagrid>
    </List>
  );
}

const validateCode = [
  required(),
  regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'mcart.shipping_methods.code_invalid'),
];
const validateName = [required(), maxLength(120)];

/** The fields of both forms; amounts are typed in major units next to the store currency. */
function MethodInputs({ currency, askCurrency }: { currency: string; askCurrency: boolean }) {
  const translate = useTranslate();
  // Create has no record yet (or an empty one): the store currency found by the caller then.
  const record = useRecordContext<{ id: string; amount?: { currency?: string } }>();
  const shown = record?.amount?.currency ?? currency;
  const inCurrency = shown ? translate('mcart.shipping_methods.currency_help', { currency: shown }) : false;
  return (
    <>
      <TextInput source="code" label="mcart.shipping_methods.code" validate={validateCode} />
      <TextInput
        source="name"
        label="mcart.shipping_methods.name"
        helperText="mcart.shipping_methods.name_help"
        validate={validateName}
        fullWidth
      />
      <SelectInput
        source="kind"
        label="mcart.shipping_methods.kind_label"
        choices={kindChoices}
        validate={required()}
      />
      <TextInput
        source="amount.amount"
        label="mcart.shipping_methods.amount"
        helperText={inCurrency}
        format={moneyFormat}
        validate={validateMoney(true)}
        slotProps={{ htmlInput: { inputMode: 'decimal' } }}
      />
      {askCurrency && (
        <TextInput
          source="amount.currency"
          label="mcart.catalog.currency"
          validate={validateCurrency}
          sx={{ width: 90 }}
        />
      )}
      <FormDataConsumer<{ kind?: string }>>
        {({ formData }) =>
          formData.kind === 'free_over' && (
            <TextInput
              source="freeOverAmount.amount"
              label="mcart.shipping_methods.free_over"
              helperText="mcart.shipping_methods.free_over_help"
              format={moneyFormat}
              validate={validateMoney(true)}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
            />
          )
        }
      </FormDataConsumer>
      <NumberInput
        source="sort"
        label="mcart.shipping_methods.sort"
        min={0}
        step={1}
        validate={minValue(0)}
      />
      <BooleanInput
        source="isDefault"
        label="mcart.shipping_methods.is_default"
        helperText="mcart.shipping_methods.default_help"
      />
      <BooleanInput
        source="active"
        label="mcart.shipping_methods.active"
        helperText="mcart.shipping_methods.active_help"
      />
    </>
  );
}

// No delete: carts and orders refer to methods, so one no longer offered is deactivated (docs/adr/0042).
const saveOnly = (
  <Toolbar>
    <SaveButton />
  </Toolbar>
);

/**
 * The store currency, as the existing methods carry it (the seeded ones at least). Without any, the form
 * asks for it and the server refuses any other with a field error.
 */
function useShippingCurrency(): { currency: string; loaded: boolean } {
  const { data, isPending } = useGetList<ShippingMethodRecord>('shipping-methods', {
    pagination: { page: 1, perPage: 1 },
    sort: { field: 'sort', order: 'ASC' },
  });
  return { currency: data?.[0]?.amount.currency ?? '', loaded: !isPending };
}

export function ShippingMethodCreate() {
  const { currency, loaded } = useShippingCurrency();
  if (!loaded) return <Loading />;
  return (
    <Create transform={(data: Record<string, unknown>) => shippingMethodBody(data, currency)} redirect="list">
      <SimpleForm
        toolbar={saveOnly}
        defaultValues={{
          kind: 'flat',
          amount: { amount: '', currency },
          sort: 0,
          isDefault: false,
          active: true,
        }}
      >
        <MethodInputs currency={currency} askCurrency={!currency} />
      </SimpleForm>
    </Create>
  );
}

export function ShippingMethodEdit() {
  return (
    <Edit
      transform={(data: Record<string, unknown>) => shippingMethodBody(data)}
      mutationMode="pessimistic"
      redirect="list"
    >
      <SimpleForm toolbar={saveOnly}>
        <StaleRecordBanner />
        <MethodInputs currency="" askCurrency={false} />
      </SimpleForm>
    </Edit>
  );
}
