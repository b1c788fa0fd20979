import {
  Create,
  PasswordInput,
  required,
  SelectInput,
  SimpleForm,
  TextInput,
  useGetIdentity,
} from 'react-admin';
import type { StaffRole } from '../../auth/authProvider.ts';
import { assignableRoles, roleChoices } from './roles.ts';

/**
 * New staff member with an initial password to hand over: the server asks them to replace it at their first
 * sign-in. The server checks the password policy and refuses an owner created by a non-owner; its problem
 * details show under the inputs.
 */
export function StaffCreate() {
  const { identity } = useGetIdentity();
  const roles = assignableRoles(identity?.role as StaffRole | undefined);
  return (
    <Create redirect="list">
      <SimpleForm>
        <TextInput source="email" type="email" validate={required()} autoComplete="off" />
        <TextInput source="firstName" validate={required()} />
        <TextInput source="lastName" validate={required()} />
        <SelectInput source="role" choices={roleChoices(roles)} validate={required()} />
        <PasswordInput
          source="password"
          validate={required()}
          autoComplete="new-password"
          helperText="mcart.staff.initial_password_hint"
        />
      </SimpleForm>
    </Create>
  );
}
