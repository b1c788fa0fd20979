import {
  BooleanField,
  BooleanInput,
  Button,
  Create,
  Datagrid,
  DateField,
  Edit,
  List,
  SimpleForm,
  TextField,
  TextInput,
  maxLength,
  regex,
  required,
  useCanAccess,
  useNotify,
  useRecordContext,
  useUpdate,
} from 'react-admin';
import type { StockLocationRecord } from './LocationSelect.tsx';

const validateCode = [
  required(),
  maxLength(32),
  regex(/^[A-Za-z0-9_-]+$/, 'mcart.stock.locations.code_invalid'),
];
const validateName = [required(), maxLength(120)];

/**
 * A location with stock history cannot be deleted (the ledger refers to it): it is deactivated, which
 * stops checkouts reserving there and transfers into it. The default location stays active.
 */
function ActiveToggleButton() {
  const record = useRecordContext<StockLocationRecord>();
  const notify = useNotify();
  const { canAccess } = useCanAccess({ resource: 'stock-locations', action: 'edit' });
  const [update, { isPending }] = useUpdate<StockLocationRecord>();
  if (!record || !canAccess) return null;
  const active = record.active;
  return (
    <Button
      label={active ? 'mcart.stock.locations.deactivate' : 'mcart.stock.locations.activate'}
      disabled={isPending || (active && record.isDefault)}
      onClick={(event) => {
        event.stopPropagation();
        update(
          'stock-locations',
          { id: record.id, data: { active: !active }, previousData: record },
          {
            onSuccess: () =>
              notify(active ? 'mcart.stock.locations.deactivated' : 'mcart.stock.locations.activated', {
                type: 'info',
                messageArgs: { name: record.name },
              }),
            onError: (error) =>
              notify(error instanceof Error ? error.message : String(error), { type: 'error' }),
          },
        );
      }}
    />
  );
}

export function LocationList() {
  return (
    <List exporter={false} pagination={false} sort={{ field: 'name', order: 'ASC' }}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="code" label="mcart.stock.locations.code" sortable={false} />
        <TextField source="name" label="mcart.stock.locations.name" sortable={false} />
        <BooleanField source="isDefault" label="mcart.stock.locations.is_default" sortable={false} />
        <BooleanField source="active" label="mcart.stock.locations.active" sortable={false} />
        <DateField source="updatedAt" label="mcart.inventory.updated_at" showTime sortable={false} />
        <ActiveToggleButton />
      </Datagrid>
    </List>
  );
}

export function LocationCreate() {
  return (
    <Create redirect="list">
      <SimpleForm defaultValues={{ active: true }}>
        <TextInput source="code" label="mcart.stock.locations.code" validate={validateCode} />
        <TextInput source="name" label="mcart.stock.locations.name" validate={validateName} />
        <BooleanInput source="active" label="mcart.stock.locations.active" />
      </SimpleForm>
    </Create>
  );
}

export function LocationEdit() {
  return (
    <Edit redirect="list" mutationMode="pessimistic">
      <SimpleForm>
        <TextInput source="code" label="mcart.stock.locations.code" validate={validateCode} />
        <TextInput source="name" label="mcart.stock.locations.name" validate={validateName} />
        <BooleanInput
          source="isDefault"
          label="mcart.stock.locations.is_default"
          helperText="mcart.stock.locations.default_hint"
        />
        <BooleanInput
          source="active"
          label="mcart.stock.locations.active"
          helperText="mcart.stock.locations.active_hint"
        />
      </SimpleForm>
    </Edit>
  );
}
