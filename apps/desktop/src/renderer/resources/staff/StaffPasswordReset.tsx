import { useState } from 'react';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Typography,
} from '@mui/material';
import { Confirm, useNotify, useRefresh, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import type { StaffRecord } from './types.ts';

/** `StaffPasswordResetDto` */
interface PasswordResetAnswer {
  temporaryPassword: string;
  staff: StaffRecord;
}

/**
 * An owner's (or an admin's, for non-owners) password reset: the server makes a temporary password, shown here
 * once to hand over, ends the member's sessions and makes them choose their own at the next sign-in. Offered only
 * where the server accepts it (`canChangeMember`: not one's own, an owner's only by an owner).
 */
export function StaffPasswordReset({ member, allowed }: { member: StaffRecord; allowed: boolean }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { http } = useConnection();
  const [confirming, setConfirming] = useState(false);
  const [temporary, setTemporary] = useState<string | null>(null);

  const reset = async () => {
    try {
      const { body } = await http.request<PasswordResetAnswer>(
        `/api/admin/staff/${encodeURIComponent(member.id)}/password-reset`,
        { method: 'POST' },
      );
      setTemporary(body.temporaryPassword);
      refresh();
    } catch (error) {
      notify((error as Error).message || 'mcart.security.failed', { type: 'error' });
    } finally {
      setConfirming(false);
    }
  };
  const copy = () => {
    if (temporary) void navigator.clipboard?.writeText(temporary).catch(() => undefined);
  };

  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center', my: 1 }}>
      {member.passwordChangeRequired && (
        <Typography variant="body2" data-testid="member-password-change-required">
          {translate('mcart.staff.password_change_pending')}
        </Typography>
      )}
      {allowed && (
        <>
          <Button size="small" variant="outlined" color="warning" onClick={() => setConfirming(true)}>
            {translate('mcart.staff.password_reset')}
          </Button>
          <Confirm
            isOpen={confirming}
            title="mcart.staff.password_reset"
            content="mcart.staff.password_reset_confirm"
            translateOptions={{ name: member.email }}
            onConfirm={() => void reset()}
            onClose={() => setConfirming(false)}
          />
        </>
      )}
      <Dialog open={temporary !== null} onClose={() => undefined}>
        <DialogTitle>{translate('mcart.staff.password_reset_done')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('mcart.staff.password_reset_hand_over', { name: member.email })}
          </Typography>
          <Typography
            variant="h6"
            data-testid="temporary-password"
            sx={{ fontFamily: 'monospace', userSelect: 'all', mb: 2 }}
          >
            {temporary}
          </Typography>
          <Alert severity="info">{translate('mcart.staff.password_reset_once')}</Alert>
        </DialogContent>
        <DialogActions>
          <Button onClick={copy}>{translate('mcart.staff.password_reset_copy')}</Button>
          <Button variant="contained" onClick={() => setTemporary(null)}>
            {translate('mcart.staff.password_reset_close')}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}
