import { LinearProgress } from '@mui/material';
import { Edit, SelectInput, TabbedForm, TextInput, required, useRecordContext } from 'react-admin';
import { statusChoices } from './ProductList.tsx';
import { CategoriesInput } from './ProductCreate.tsx';
import { VariantsEditor } from './VariantsEditor.tsx';
import { ImagesEditor } from './ImagesEditor.tsx';
import { StaleRecordBanner } from '../../live/StaleRecordBanner.tsx';

const EDITABLE = ['title', 'slug', 'status', 'description', 'categoryIds'] as const;

/**
 * The product PATCH takes only product fields; variants have their own routes (variants tab). An emptied
 * description is sent as "" (the input holds null then, react-admin's default parse): the server validates
 * bodies without type coercion, so null would be refused rather than read as "".
 */
export const productPatch = (data: Record<string, unknown>) =>
  Object.fromEntries(
    EDITABLE.filter((key) => key in data).map((key) => [
      key,
      key === 'description' && data[key] === null ? '' : data[key],
    ]),
  );

export function ProductEdit() {
  return (
    // The list caches each row as a product summary (no variants, no description): always fetch the
    // detail on open, and build the form from it only (a form initialised from the summary would save
    // blanks). staleTime 0, not refetchOnMount: the query mounts disabled until auth is checked, and
    // enabling it later only fetches when the cached copy is stale.
    <Edit transform={productPatch} mutationMode="pessimistic" queryOptions={{ staleTime: 0 }}>
      <StaleRecordBanner />
      <ProductForm />
    </Edit>
  );
}

function ProductForm() {
  const record = useRecordContext<{ variants?: unknown }>();
  if (!record || record.variants === undefined) return <LinearProgress sx={{ m: 2 }} />;
  return (
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
      <TabbedForm.Tab label="mcart.catalog.tab_images">
        <ImagesEditor />
      </TabbedForm.Tab>
    </TabbedForm>
  );
}
