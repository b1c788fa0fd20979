import {
  BooleanField,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NullableBooleanInput,
  SearchInput,
  TextField,
} from 'react-admin';
import { compactTableSx } from '../../layout/compactTable.ts';
import type { CustomerRecord } from './types.ts';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <NullableBooleanInput key="disabled" source="disabled" />,
];

export function CustomerList() {
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25}>
      <Datagrid rowClick="show" bulkActionButtons={false} sx={compactTableSx}>
        <FunctionField<CustomerRecord>
          source="lastName"
          label="mcart.customers.name"
          render={(record) => `${record.firstName} ${record.lastName}`.trim()}
        />
        <TextField source="email" emptyText="—" />
        <TextField source="phone" sortable={false} emptyText="—" />
        <BooleanField source="emailVerified" sortable={false} />
        <BooleanField source="disabled" sortable={false} />
        <DateField source="createdAt" showTime />
        <DateField source="lastLoginAt" showTime emptyText="—" />
      </Datagrid>
    </List>
  );
}
