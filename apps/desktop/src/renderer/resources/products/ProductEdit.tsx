import { Edit, SelectInput, TabbedForm, TextInput, required } from 'react-admin';
import { statusChoices } from './ProductList.tsx';
import { CategoriesInput } from './ProductCreate.tsx';
import { VariantsEditor } from './VariantsEditor.tsx';

const EDITABLE = ['title', 'slug', 'status', 'description', 'categoryIds'] as const;

/** The product PATCH takes only product fields; variants have their own routes (variants tab). */
export const productPatch = (data: Record<string, unknown>) =>
  Object.fromEntries(EDITABLE.filter((key) => key in data).map((key) => [key, data[key]]));

export function ProductEdit() {
  return (
    <Edit transform={productPatch} mutationMode="pessimistic">
      <TabbedForm>
        <TabbedForm.Tab label="mcart.catalog.tab_details">
          <TextInput source="title" label="mcart.catalog.title" validate={required()} fullWidth />
          <TextInput source="slug" label="mcart.catalog.slug" fullWidth />
          <SelectInput
            source="status"
            label="mcart.catalog.status_label"
            choices={statusChoices}
            validate={required()}
          />
          <TextInput source="description" label="mcart.catalog.description" multiline minRows={4} fullWidth />
        </TabbedForm.Tab>
        <TabbedForm.Tab label="mcart.catalog.tab_variants">
          <VariantsEditor />
        </TabbedForm.Tab>
        <TabbedForm.Tab label="mcart.catalog.tab_categories">
          <CategoriesInput />
        </TabbedForm.Tab>
      </TabbedForm>
    </Edit>
  );
}
