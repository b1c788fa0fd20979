import { Datagrid, DateField, List, TextField, TextInput } from 'react-admin';

const filters = [<TextInput key="q" source="q" label="ra.action.search" alwaysOn />];

export function MailboxList() {
  return (
    <List filters={filters} sort={{ field: 'date', order: 'DESC' }}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DateField source="date" showTime />
        <TextField source="to" />
        <TextField source="subject" />
        <TextField source="template" sortable={false} />
      </Datagrid>
    </List>
  );
}
