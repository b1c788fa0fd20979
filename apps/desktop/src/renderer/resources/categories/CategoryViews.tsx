import {
  Create,
  Datagrid,
  Edit,
  List,
  NumberField,
  NumberInput,
  ReferenceField,
  ReferenceInput,
  SearchInput,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  required,
} from 'react-admin';
import { StaleRecordBanner } from '../../live/StaleRecordBanner.tsx';

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <ReferenceInput
    key="parentId"
    source="parentId"
    reference="categories"
    perPage={200}
    sort={{ field: 'name', order: 'ASC' }}
  >
    <SelectInput optionText="name" label="mcart.catalog.parent" />
  </ReferenceInput>,
];

/** Categories with their parent; filtering by parent walks the tree one level at a time. */
export function CategoryList() {
  return (
    <List filters={filters} sort={{ field: 'position', order: 'ASC' }} perPage={50} exporter={false}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <TextField source="name" label="mcart.catalog.name" />
        <ReferenceField
          source="parentId"
          reference="categories"
          label="mcart.catalog.parent"
          emptyText="—"
          link="edit"
          sortable={false}
        >
          <TextField source="name" />
        </ReferenceField>
        <TextField source="slug" label="mcart.catalog.slug" />
        <NumberField source="position" label="mcart.catalog.position" />
      </Datagrid>
    </List>
  );
}

/** Any category may be the parent; the server refuses a move under itself or its descendants. */
function ParentInput() {
  return (
    <ReferenceInput
      source="parentId"
      reference="categories"
      perPage={200}
      sort={{ field: 'name', order: 'ASC' }}
    >
      <SelectInput
        optionText="name"
        label="mcart.catalog.parent"
        emptyText="mcart.catalog.no_parent"
        sx={{ minWidth: 240 }}
      />
    </ReferenceInput>
  );
}

const fields = [
  <TextInput key="name" source="name" label="mcart.catalog.name" validate={required()} fullWidth />,
  <TextInput
    key="slug"
    source="slug"
    label="mcart.catalog.slug"
    helperText="mcart.catalog.slug_help"
    fullWidth
  />,
  <ParentInput key="parent" />,
  <NumberInput key="position" source="position" label="mcart.catalog.position" min={0} step={1} />,
];

/** Sends only the editable fields (slug left empty lets the server derive it from the name). */
export const categoryBody = (data: Record<string, unknown>) => {
  const body: Record<string, unknown> = {};
  for (const key of ['name', 'slug', 'parentId', 'position'] as const) {
    if (!(key in data)) continue;
    const value = data[key];
    if (key === 'slug' && (value === '' || value === null)) continue;
    if (key === 'position' && (value === '' || value === null)) continue;
    body[key] = value === '' ? null : value;
  }
  return body;
};

export function CategoryCreate() {
  return (
    <Create transform={categoryBody} redirect="list">
      <SimpleForm>{fields}</SimpleForm>
    </Create>
  );
}

export function CategoryEdit() {
  return (
    <Edit transform={categoryBody} mutationMode="pessimistic">
      <StaleRecordBanner />
      <SimpleForm>{fields}</SimpleForm>
    </Edit>
  );
}
