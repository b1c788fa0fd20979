import {
  BooleanField,
  CreateButton,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NullableBooleanInput,
  SearchInput,
  SelectInput,
  TextField,
  TopToolbar,
  useCanAccess,
  useTranslate,
} from 'react-admin';
import { roleChoices, STAFF_ROLES } from './roles.ts';
import type { StaffRecord } from './types.ts';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices(STAFF_ROLES)} />,
  <NullableBooleanInput key="disabled" source="disabled" />,
];

export function StaffList() {
  const translate = useTranslate();
  // Reading staff is staff:read; creating and editing need staff:manage.
  const { canAccess: canManage } = useCanAccess({ resource: 'staff', action: 'edit' });
  return (
    <List
      filters={filters}
      sort={{ field: 'createdAt', order: 'ASC' }}
      perPage={25}
      actions={<TopToolbar>{canManage && <CreateButton />}</TopToolbar>}
    >
      <Datagrid rowClick={canManage ? 'edit' : false} bulkActionButtons={false}>
        <FunctionField<StaffRecord>
          source="lastName"
          label="mcart.staff.name"
          render={(record) => `${record.firstName} ${record.lastName}`.trim()}
        />
        <TextField source="email" />
        <FunctionField<StaffRecord>
          source="role"
          render={(record) => translate(`mcart.role.${record.role}`)}
        />
        <BooleanField source="disabled" sortable={false} />
        <DateField source="createdAt" showTime />
        <DateField source="lastLoginAt" showTime emptyText="—" />
      </Datagrid>
    </List>
  );
}
