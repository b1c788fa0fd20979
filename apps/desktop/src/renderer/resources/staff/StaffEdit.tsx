import {
  BooleanInput,
  Edit,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  useGetIdentity,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { Typography } from '@mui/material';
import type { StaffRole } from '../../auth/authProvider.ts';
import { assignableRoles, canChangeMember, roleChoices, STAFF_ROLES } from './roles.ts';
import type { StaffRecord } from './types.ts';

/** Role and disabled are offered only where the server would accept them (see canChangeMember). */
function StaffFields() {
  const translate = useTranslate();
  const member = useRecordContext<StaffRecord>();
  const { identity } = useGetIdentity();
  if (!member) return null;
  const actor = identity ? { id: String(identity.id), role: identity.role as StaffRole } : undefined;
  const changeable = canChangeMember(actor, member);
  return (
    <>
      <TextField source="email" variant="h6" />
      <TextInput source="firstName" validate={required()} />
      <TextInput source="lastName" validate={required()} />
      <SelectInput
        source="role"
        choices={roleChoices(changeable ? assignableRoles(actor?.role) : STAFF_ROLES)}
        disabled={!changeable}
        validate={required()}
      />
      <BooleanInput source="disabled" disabled={!changeable} />
      <Typography variant="body2" color="text.secondary">
        {translate(changeable ? 'mcart.staff.sessions_end' : 'mcart.staff.cannot_change')}
      </Typography>
    </>
  );
}

export function StaffEdit() {
  return (
    <Edit mutationMode="pessimistic" redirect="list">
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton />
          </Toolbar>
        }
      >
        <StaffFields />
      </SimpleForm>
    </Edit>
  );
}
