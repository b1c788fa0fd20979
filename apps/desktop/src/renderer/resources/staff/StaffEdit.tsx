import { useState } from 'react';
import {
  BooleanInput,
  Confirm,
  Edit,
  required,
  SaveButton,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  useCanAccess,
  useGetIdentity,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Button, Stack, Typography } from '@mui/material';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import type { StaffRole } from '../../auth/authProvider.ts';
import { assignableRoles, canChangeMember, canRenameMember, roleChoices, STAFF_ROLES } from './roles.ts';
import type { StaffRecord } from './types.ts';
import { StaffPasswordReset } from './StaffPasswordReset.tsx';

/**
 * The member's second factor; the owner can reset it (lost phone), which ends their sessions. Not their own:
 * the server refuses it (one's own factor goes off with a current code, in Sign-in security).
 */
function TotpReset({ member, own }: { member: StaffRecord; own: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { http } = useConnection();
  const { canAccess } = useCanAccess({ resource: 'security', action: 'manage' });
  const [open, setOpen] = useState(false);
  const reset = async () => {
    try {
      await http.request(`/api/admin/staff/${encodeURIComponent(member.id)}/totp`, { method: 'DELETE' });
      notify('mcart.security.reset_done', { type: 'success' });
      refresh();
    } catch (error) {
      notify((error as Error).message || 'mcart.security.failed', { type: 'error' });
    } finally {
      setOpen(false);
    }
  };
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center', my: 1 }}>
      <Typography variant="body2">
        {translate(member.totpEnabled ? 'mcart.security.member_on' : 'mcart.security.member_off')}
      </Typography>
      {canAccess && member.totpEnabled && !own && (
        <>
          <Button size="small" color="error" variant="outlined" onClick={() => setOpen(true)}>
            {translate('mcart.security.reset')}
          </Button>
          <Confirm
            isOpen={open}
            title="mcart.security.reset"
            content="mcart.security.reset_confirm"
            translateOptions={{ name: member.email }}
            onConfirm={() => void reset()}
            onClose={() => setOpen(false)}
          />
        </>
      )}
    </Stack>
  );
}

/** Names, role and disabled are offered only where the server would accept them (canRenameMember, canChangeMember). */
function StaffFields() {
  const translate = useTranslate();
  const member = useRecordContext<StaffRecord>();
  const { identity } = useGetIdentity();
  if (!member) return null;
  const actor = identity ? { id: String(identity.id), role: identity.role as StaffRole } : undefined;
  const changeable = canChangeMember(actor, member);
  const renamable = canRenameMember(actor, member);
  return (
    <>
      <TextField source="email" variant="h6" />
      <TextInput source="firstName" validate={required()} disabled={!renamable} />
      <TextInput source="lastName" validate={required()} disabled={!renamable} />
      <SelectInput
        source="role"
        choices={roleChoices(changeable ? assignableRoles(actor?.role) : STAFF_ROLES)}
        disabled={!changeable}
        validate={required()}
      />
      <BooleanInput source="disabled" disabled={!changeable} />
      <TotpReset member={member} own={actor?.id === String(member.id)} />
      <StaffPasswordReset member={member} allowed={changeable} />
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
